/// Dendrite's version, as `dendrite --version` prints it and results files record it.
///
///     print(dendriteVersion)   // "0.1.0"
public let dendriteVersion = "0.1.0"
