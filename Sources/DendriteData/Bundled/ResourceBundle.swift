import Foundation

/// Finds the package's resource bundle (the bundled data files) without `Bundle.module`,
/// whose generated accessor crashes when a copied binary has no bundle beside it: here a
/// missing bundle is a ``DataError`` that says so.
///
/// SwiftPM puts the bundle beside the executable: `Dendrite_DendriteData.resources` on
/// Linux, `Dendrite_DendriteData.bundle` on Apple platforms. It is searched for in
/// `Bundle.main`'s folders, the executable's folder (symbolic links resolved), and the
/// folders of every loaded bundle (`swift test` loads the tests as one).
enum ResourceBundle {
  /// The bundle's name on this platform, for messages.
  #if canImport(Darwin)
  static let bundleName = "Dendrite_DendriteData.bundle"
  #else
  static let bundleName = "Dendrite_DendriteData.resources"
  #endif

  /// The URL of a bundled data file, such as `digits.csv`.
  ///
  /// - Throws: ``DataError/resourceBundleNotFound(searched:)`` or ``DataError/resourceMissing(bundle:file:)``.
  static func url(forResource file: String) throws(DataError) -> URL {
    let bundle = try located.get()
    let candidates = [
      bundle.appendingPathComponent("Resources").appendingPathComponent(file),
      bundle.appendingPathComponent("Contents/Resources/Resources").appendingPathComponent(file),
    ]
    guard let url = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
      throw DataError.resourceMissing(bundle: bundle.path, file: file)
    }
    return url
  }

  /// The search's outcome, computed once.
  private static let located: Result<URL, DataError> = locate()

  private static func locate() -> Result<URL, DataError> {
    let directories = searchDirectories()
    let manager = FileManager.default
    for directory in directories {
      for name in [bundleName, "Dendrite_DendriteData.resources", "Dendrite_DendriteData.bundle"] {
        let url = directory.appendingPathComponent(name)
        if manager.fileExists(atPath: url.path) { return .success(url) }
      }
    }
    // The bundle is named after the package; a renamed package keeps the target's suffix.
    for directory in directories {
      let entries = (try? manager.contentsOfDirectory(atPath: directory.path)) ?? []
      if let name = entries.sorted().first(where: { $0.hasSuffix("_DendriteData.resources") || $0.hasSuffix("_DendriteData.bundle") }) {
        return .success(directory.appendingPathComponent(name))
      }
    }
    return .failure(DataError.resourceBundleNotFound(searched: directories.map(\.path)))
  }

  /// The folders that may hold the bundle, most likely first, without repeats.
  private static func searchDirectories() -> [URL] {
    var directories: [URL?] = [Bundle.main.resourceURL, Bundle.main.bundleURL]
    var executables: [URL?] = [Bundle.main.executableURL]
    if let argument = CommandLine.arguments.first, !argument.isEmpty {
      executables.append(URL(fileURLWithPath: argument))
    }
    for executable in executables.compactMap({ $0 }) {
      directories.append(executable.deletingLastPathComponent())
      directories.append(executable.resolvingSymlinksInPath().deletingLastPathComponent())
    }
    #if os(Linux)
    directories.append(URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent())
    #endif
    for bundle in Bundle.allBundles {
      directories += [bundle.resourceURL, bundle.bundleURL, bundle.bundleURL.deletingLastPathComponent()]
    }
    var seen = Set<String>()
    return directories.compactMap { $0?.standardizedFileURL }.filter { $0.path != "/proc/self" && seen.insert($0.path).inserted }
  }
}
