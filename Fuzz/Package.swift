// swift-tools-version: 6.1
// libFuzzer targets for Dendrite's parsers. A separate package, so the product's
// Package.swift stays free of sanitizer flags; it depends on the main package by path.
// Build and run through ./run.sh: `swift build --sanitize fuzzer` compiles each target with
// -parse-as-library and links libFuzzer's main, which calls LLVMFuzzerTestOneInput.
import Foundation
import PackageDescription

// A path dependency's identity is its folder name (`dendrite` in a fresh clone, but
// whatever the checkout is called), so take it from where this manifest lives.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let rootIdentity = root.lastPathComponent.lowercased()

let package = Package(
  name: "DendriteFuzz",
  dependencies: [.package(path: "..")],
  targets: [
    // zlib for FuzzIDX, which gzips each input so that valid streams reach Gzip.decompress.
    .systemLibrary(name: "FuzzZlib", path: "Sources/FuzzZlib"),
    .executableTarget(
      name: "FuzzCSV",
      dependencies: [.product(name: "DendriteData", package: rootIdentity)]),
    .executableTarget(
      name: "FuzzIDX",
      dependencies: ["FuzzZlib", .product(name: "DendriteData", package: rootIdentity)]),
    .executableTarget(
      name: "FuzzSafetensors",
      dependencies: [.product(name: "Dendrite", package: rootIdentity)]),
  ]
)
