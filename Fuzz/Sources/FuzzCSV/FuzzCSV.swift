// libFuzzer target for the CSV reader: every input must load or throw a DataError, never crash.
//
//     ./run.sh csv 60
import Dendrite
import DendriteData

/// libFuzzer calls this once per input (`swift build --sanitize fuzzer` links libFuzzer's main).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  // The label in the default place, elsewhere, and none: each takes its own path through CSVTable.
  if let dataset = try? CSVLoader.load(bytes: bytes, fileName: "fuzz.csv") {
    precondition(dataset.count > 0 && dataset.featureCount > 0, "a loaded data set is empty")
  }
  _ = try? CSVLoader.load(bytes: bytes, fileName: "fuzz.csv", labelColumn: .first, task: .classification)
  _ = try? CSVLoader.load(bytes: bytes, fileName: "fuzz.csv", labelColumn: .name("label"), task: .regression)
  if let (features, _) = try? CSVLoader.loadFeatures(bytes: bytes, fileName: "fuzz.csv") {
    precondition(features.shape.count == 2 && features.scalarCount == features.shape[0] * features.shape[1])
  }
  return 0
}
