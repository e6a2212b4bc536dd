import ArgumentParser
import Dendrite
import DendriteData

/// `dendrite datasets`: lists the bundled data sets.
struct DatasetsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "datasets", abstract: "List the bundled data sets (no download needed).")

  @Flag(help: "Print one JSON object on stdout instead of text.")
  var json = false

  func run() throws {
    try reportingErrors {
      let catalog = Datasets.catalog
      if json {
        JSONOutput.print([
          "datasets": .array(catalog.map { info in
            [
              "name": .string(info.name), "samples": .number(Double(info.samples)),
              "features": .number(Double(info.features)), "classes": .number(Double(info.classes)),
              "description": .string(info.description), "license": .string(info.license),
            ]
          })
        ])
        return
      }
      print(
        Terminal.table(
          header: ["name", "samples", "features", "classes", "description"],
          rows: catalog.map { [$0.name, "\($0.samples)", "\($0.features)", "\($0.classes)", $0.description] }))
    }
  }
}
