// Runs the study's experiments from Swift, as `dendrite lab` does, and writes the report.
// `quick: true` trains on a few hundred rows for a few epochs (a smoke test: its verdicts
// are not the study's); `Lab()` runs the real thing, about 5 s in a release build.
import DendriteLab
import Foundation

let lab = Lab(quick: true)
let run = try lab.run { print("running \($0)") }
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dendrite-lab-snippet").path
try run.write(toDirectory: directory)
print("wrote", run.results.experiments.count, "experiments")
try FileManager.default.removeItem(atPath: directory)
