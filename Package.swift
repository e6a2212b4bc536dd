// swift-tools-version: 6.2
import PackageDescription

let package = Package(
  name: "Dendrite",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "Dendrite", targets: ["Dendrite"]),
    .library(name: "DendriteData", targets: ["DendriteData"]),
    .library(name: "DendriteLab", targets: ["DendriteLab"]),
    .library(name: "DendriteBenchmarks", targets: ["DendriteBenchmarks"]),
    .executable(name: "dendrite", targets: ["dendrite"]),
  ],
  traits: [
    .trait(
      name: "OpenBLAS",
      description: "Linux: compute matrix products with OpenBLAS (apt-get install libopenblas-dev) instead of the built-in kernels."
    ),
    .trait(
      name: "MPI",
      description: "Data-parallel training over Open MPI (apt-get install openmpi-bin libopenmpi-dev): `mpirun -np N dendrite train …`."
    ),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    // The playground's web server (only `dendrite` builds it; the libraries do not).
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
    .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    // `swift package generate-documentation` (the DocC catalogues) and the snippets'
    // documentation; a command plugin, so it adds nothing to what a product links.
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
  ],
  targets: [
    .target(name: "CDendriteKernels"),
    .target(
      name: "Dendrite",
      dependencies: [
        "CDendriteKernels",
        .target(name: "COpenBLAS", condition: .when(platforms: [.linux], traits: ["OpenBLAS"])),
        .target(name: "CMPI", condition: .when(traits: ["MPI"])),
      ]
    ),
    .systemLibrary(
      name: "CMPI",
      path: "Sources/CMPI",
      pkgConfig: "ompi-c",
      providers: [.apt(["libopenmpi-dev"]), .yum(["openmpi-devel"]), .brew(["open-mpi"])]
    ),
    .systemLibrary(
      name: "COpenBLAS",
      path: "Sources/COpenBLAS",
      pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"]), .yum(["openblas-devel"])]
    ),
    .systemLibrary(
      name: "CZlib",
      path: "Sources/CZlib",
      providers: [.apt(["zlib1g-dev"]), .yum(["zlib-devel"])]
    ),
    .target(
      name: "DendriteData",
      dependencies: ["Dendrite", "CZlib"],
      resources: [.copy("Resources")]
    ),
    .target(name: "DendriteLab", dependencies: ["Dendrite", "DendriteData"]),
    // The playground's engine: configs, 2-D data sets, sessions, races, frames (no server).
    .target(name: "DendritePlayground", dependencies: ["Dendrite", "DendriteData"]),
    // The speed workloads, shared by `dendrite bench` and the Benchmarks/ package.
    .target(name: "DendriteBenchmarks", dependencies: ["Dendrite"]),
    // The playground's Hummingbird application: routes, the page, the WebSocket sessions.
    .target(
      name: "DendritePlaygroundServer",
      dependencies: [
        "DendritePlayground", "Dendrite", "DendriteData",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdCore", package: "hummingbird"),
        .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
      ],
      // The page's files: PageFiles.swift embeds them (Scripts/embed_playground_page.py), so
      // that a copied `dendrite` binary serves the page without a resource bundle.
      exclude: ["Resources"]
    ),
    .executableTarget(
      name: "dendrite",
      dependencies: [
        "Dendrite", "DendriteData", "DendriteLab", "DendriteBenchmarks", "DendritePlaygroundServer",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    .testTarget(
      name: "DendriteTests",
      dependencies: ["Dendrite"],
      resources: [.copy("Fixtures")]
    ),
    .testTarget(name: "DendriteLabTests", dependencies: ["DendriteLab"]),
    .testTarget(name: "DendritePlaygroundTests", dependencies: ["DendritePlayground", "Dendrite", "DendriteData"]),
    .testTarget(
      name: "DendritePlaygroundServerTests",
      dependencies: [
        "DendritePlaygroundServer", "DendritePlayground", "Dendrite",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
      ]
    ),
    .testTarget(name: "DendriteBenchmarksTests", dependencies: ["DendriteBenchmarks", "Dendrite"]),
    .testTarget(name: "CommandLineTests", dependencies: ["dendrite", "Dendrite"]),
    .testTarget(
      name: "DendriteDataTests",
      dependencies: ["DendriteData", "Dendrite"],
      resources: [.copy("Fixtures")]
    ),
  ]
)
