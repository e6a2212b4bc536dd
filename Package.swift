// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "Dendrite",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "Dendrite", targets: ["Dendrite"]),
    .library(name: "DendriteLab", targets: ["DendriteLab"]),
    .executable(name: "dendrite", targets: ["dendrite"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
  ],
  targets: [
    .target(name: "Dendrite"),
    .target(name: "DendriteLab", dependencies: ["Dendrite"]),
    .executableTarget(
      name: "dendrite",
      dependencies: [
        "Dendrite", "DendriteLab",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(
      name: "DendriteTests",
      dependencies: ["Dendrite"],
      resources: [.copy("Fixtures")]
    ),
    .testTarget(name: "DendriteLabTests", dependencies: ["DendriteLab"]),
  ]
)
