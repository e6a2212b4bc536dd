import Dendrite
import Foundation

/// Loads image classification data in LeCun's IDX format (MNIST, Fashion-MNIST, …), raw or
/// gzip-compressed.
///
///     let train = try IDXLoader.load(imagesPath: "mnist/train-images-idx3-ubyte.gz")
///     train.features.shape   // [60000, 784], pixels 0…255 as Float
///     train.classCount       // 10
///     train.sampleShape      // [1, 28, 28]
///
/// Features are the raw pixel values 0…255 as `Float`, one row of `rows × columns` per
/// image, row by row; scale or standardise them yourself. A file is gzip when it starts
/// with 1f 8b, whatever its name. The magic numbers (`0x00000803` images,
/// `0x00000801` labels), dimensions and body lengths are checked, and so is the
/// agreement of the two counts.
public enum IDXLoader {
  /// Loads an images file and the labels file beside it, found by the MNIST naming:
  /// `images-idx3` → `labels-idx1` (or `images.idx3` → `labels.idx1`), with and without
  /// `.gz`.
  ///
  ///     let test = try IDXLoader.load(imagesPath: "t10k-images-idx3-ubyte")   // + t10k-labels-idx1-ubyte
  ///
  /// - Throws: ``DataError/labelsFileNotFound(imagesFile:tried:)`` when no labels file is
  ///   there, or any error of ``load(imagesPath:labelsPath:)``.
  public static func load(imagesPath: String) throws(DataError) -> Dataset {
    let candidates = labelsPathCandidates(forImagesPath: imagesPath)
    guard let labelsPath = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
      throw DataError.labelsFileNotFound(imagesFile: imagesPath, tried: candidates.isEmpty ? ["(no images-idx3 in the name)"] : candidates)
    }
    return try load(imagesPath: imagesPath, labelsPath: labelsPath)
  }

  /// Loads an images file and a labels file given by path.
  ///
  ///     let data = try IDXLoader.load(imagesPath: "images.idx", labelsPath: "labels.idx")
  ///
  /// - Returns: a classification data set named after the images file (`train`,
  ///   `t10k`, …), `classCount` = largest label + 1.
  public static func load(imagesPath: String, labelsPath: String) throws(DataError) -> Dataset {
    let images = try FileReading.bytes(atPath: imagesPath)
    let labels = try FileReading.bytes(atPath: labelsPath)
    return try load(
      images: images, labels: labels, imagesFile: imagesPath, labelsFile: labelsPath, name: datasetName(imagesPath))
  }

  /// Builds a data set from IDX bytes already in memory, each raw or gzip-compressed
  /// (tests, fuzzing, embedded data). The file names appear in errors.
  ///
  ///     let data = try IDXLoader.load(images: imageBytes, labels: labelBytes)
  ///
  /// - Parameters:
  ///   - images: the images file's bytes.
  ///   - labels: the labels file's bytes.
  ///   - imagesFile: the images file's name, for errors.
  ///   - labelsFile: the labels file's name, for errors.
  ///   - name: the data set's name.
  ///   - decompressionLimit: the most bytes a gzip stream may inflate to.
  public static func load(
    images: [UInt8], labels: [UInt8], imagesFile: String = "images", labelsFile: String = "labels",
    name: String = "idx", decompressionLimit: Int = 1 << 30
  ) throws(DataError) -> Dataset {
    let imageBytes = try Gzip.isCompressed(images) ? Gzip.decompress(images, file: imagesFile, limit: decompressionLimit) : images
    let labelBytes = try Gzip.isCompressed(labels) ? Gzip.decompress(labels, file: labelsFile, limit: decompressionLimit) : labels
    let pixels = try IDXFormat.parse(imageBytes, file: imagesFile, magic: IDXFormat.imagesMagic, dimensionNames: ["image count", "rows", "columns"])
    let classes = try IDXFormat.parse(labelBytes, file: labelsFile, magic: IDXFormat.labelsMagic, dimensionNames: ["label count"])
    let count = pixels.dimensions[0]
    guard count == classes.dimensions[0] else {
      throw DataError.countMismatch(imagesFile: imagesFile, images: count, labelsFile: labelsFile, labels: classes.dimensions[0])
    }
    let features = Tensor(shape: [count, pixels.dimensions[1] * pixels.dimensions[2]], scalars: pixels.body.map { Float($0) })
    do throws(DatasetError) {
      var data = try Dataset(features: features, classIndices: classes.body.map { Int($0) }, name: name)
      data.featureRange = 0...255  // unsigned bytes
      data.sampleShape = [1, pixels.dimensions[1], pixels.dimensions[2]]  // grey images
      return data
    } catch {
      throw DataError.invalidDataset(error)
    }
  }

  /// Where the labels of an images file may be, in the order tried.
  static func labelsPathCandidates(forImagesPath imagesPath: String) -> [String] {
    let url = URL(fileURLWithPath: imagesPath)
    let file = url.lastPathComponent
    let renamed = [("images-idx3", "labels-idx1"), ("images.idx3", "labels.idx1")].compactMap { images, labels in
      file.contains(images) ? file.replacingOccurrences(of: images, with: labels) : nil
    }
    guard let labelsFile = renamed.first else { return [] }
    let alternative = labelsFile.hasSuffix(".gz") ? String(labelsFile.dropLast(3)) : labelsFile + ".gz"
    let directory = imagesPath.contains("/") ? String(imagesPath[...(imagesPath.lastIndex(of: "/") ?? imagesPath.startIndex)]) : ""
    return [directory + labelsFile, directory + alternative]
  }

  /// `data/train-images-idx3-ubyte.gz` → `train`.
  private static func datasetName(_ imagesPath: String) -> String {
    let file = URL(fileURLWithPath: imagesPath).lastPathComponent
    for marker in ["-images-idx3", "-images.idx3", "_images-idx3"] {
      if let range = file.range(of: marker), range.lowerBound > file.startIndex { return String(file[..<range.lowerBound]) }
    }
    return file
  }
}
