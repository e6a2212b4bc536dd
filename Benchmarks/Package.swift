// swift-tools-version: 6.1
// Dendrite's benchmarks: a package of its own, so that the library's build stays light.
// Run from this directory: `swift package benchmark` (see README.md).
import PackageDescription

// SwiftPM names a path dependency after its directory, and the Dendrite checkout may be
// called anything ("main", "dendrite", …): take the name of this package's parent folder.
let dendrite = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "dendrite").lowercased()

let package = Package(
  name: "DendriteBenchmarks",
  platforms: [.macOS(.v14)],
  dependencies: [
    .package(path: ".."),
    // Only the MallocInterposer trait (malloc counts): no jemalloc, and not the default
    // RuntimeInterposer trait (Linux + Swift 6.3 ARC hooks), which this suite does not use.
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    // Not named DendriteBenchmarks: that is the library of workloads it runs.
    .executableTarget(
      name: "DendriteBenchmarkSuite",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "Dendrite", package: dendrite),
        .product(name: "DendriteBenchmarks", package: dendrite),
        .product(name: "DendriteLab", package: dendrite),
      ],
      path: "Benchmarks/DendriteBenchmarkSuite",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
  ]
)
