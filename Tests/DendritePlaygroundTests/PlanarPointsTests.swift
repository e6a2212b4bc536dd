import Dendrite
import Foundation
import Testing

@testable import DendritePlayground

@Suite struct PlanarPointsTests {
  static let planar = PlaygroundDataset.allCases.filter(\.isPlanar)

  @Test(arguments: planar)
  func generatesShapeLabelsAndRange(dataset: PlaygroundDataset) {
    let points = PlanarPoints(dataset, count: 500, noise: 0, seed: 1)
    #expect(points.x1.count == 500 && points.x2.count == 500 && points.labels.count == 500)
    #expect(points.x1.allSatisfy { abs($0) <= PlanarPoints.extent })
    #expect(points.x2.allSatisfy { abs($0) <= PlanarPoints.extent })
    if let classCount = dataset.classCount {
      let classes = Set(points.labels)
      #expect(classes == Set((0..<classCount).map(Float.init)))
      for label in classes {
        // Balanced: each class within one point of its share (xor: quadrants drawn at random).
        let tolerance = dataset == .xor ? 60 : 1
        #expect(abs(points.labels.filter { $0 == label }.count - 500 / classCount) <= tolerance)
      }
    } else {
      #expect(points.labels.allSatisfy { $0 >= -1 && $0 <= 1 })
      #expect(Set(points.labels).count > 400)
    }
  }

  @Test(arguments: planar)
  func theSeedFixesThePoints(dataset: PlaygroundDataset) {
    #expect(PlanarPoints(dataset, count: 200, noise: 20, seed: 3) == PlanarPoints(dataset, count: 200, noise: 20, seed: 3))
    #expect(PlanarPoints(dataset, count: 200, noise: 20, seed: 3) != PlanarPoints(dataset, count: 200, noise: 20, seed: 4))
  }

  @Test func labelsFollowTheShapes() {
    let xor = PlanarPoints(.xor, count: 300, noise: 0, seed: 2)
    for (x, (y, label)) in zip(xor.x1, zip(xor.x2, xor.labels)) { #expect(label == (x * y > 0 ? 1 : 0)) }
    let circle = PlanarPoints(.circle, count: 300, noise: 0, seed: 2)
    for (x, (y, label)) in zip(circle.x1, zip(circle.x2, circle.labels)) {
      let r = (x * x + y * y).squareRoot()
      #expect(label == 0 ? r <= 2.5 : r >= 3.5)
    }
    let gauss = PlanarPoints(.gauss, count: 300, noise: 0, seed: 2)
    let meanOfClass0 = zip(gauss.x1, gauss.labels).filter { $0.1 == 0 }.map(\.0).reduce(0, +) / 150
    #expect(meanOfClass0 > 1.5 && meanOfClass0 < 2.5)
    let plane = PlanarPoints(.plane, count: 100, noise: 0, seed: 2)
    for (x, (y, target)) in zip(plane.x1, zip(plane.x2, plane.labels)) { #expect(abs(target - (x + y) / 12) < 1e-5) }
  }

  @Test func noiseMovesThePoints() {
    let clean = PlanarPoints(.xor, count: 300, noise: 0, seed: 2)
    let noisy = PlanarPoints(.xor, count: 300, noise: 50, seed: 2)
    let wrong = zip(noisy.x1, zip(noisy.x2, noisy.labels)).filter { x, rest in (x * rest.0 > 0 ? 1 : 0) != rest.1 }.count
    #expect(clean != noisy)
    #expect(wrong > 10)
  }

  @Test func featuresAreComputedFromThePoints() {
    let points = PlanarPoints(.circle, count: 10, noise: 0, seed: 1)
    let features = points.features(PlaygroundFeature.allCases)
    #expect(features.shape == [10, 7])
    let row = Array(features.scalars[0..<7])
    let (a, b) = (points.x1[0], points.x2[0])
    #expect(row[0] == a && row[1] == b && row[2] == a * a && row[3] == b * b && row[4] == a * b)
    #expect(abs(row[5] - Float(sin(Double(a)))) < 1e-6 && abs(row[6] - Float(sin(Double(b)))) < 1e-6)
  }

  @Test func sessionsSplitByTrainRatioAndSeed() throws {
    let session = try PlaygroundSession(config: PlaygroundConfig(hash: "dataset=spiral3&trainRatio=70&points=300"))
    #expect(session.data.train.count == 210 && session.data.test.count == 90)
    #expect(session.data.train.classCount == 3)
    #expect(session.data.trainPoints.count == 210 && session.data.trainPoints[0].count == 3)
    let again = try PlaygroundSession(config: PlaygroundConfig(hash: "dataset=spiral3&trainRatio=70&points=300"))
    #expect(again.data.trainPoints == session.data.trainPoints)
  }

  @Test(arguments: ["iris", "wine", "breast-cancer", "digits"])
  func bundledSetsAreStandardisedOnTheTrainingPart(name: String) throws {
    let session = try PlaygroundSession(config: PlaygroundConfig(hash: "dataset=\(name)&trainRatio=80"))
    let train = session.data.train
    #expect(session.data.trainPoints.isEmpty)
    #expect(session.data.inputNames.count == train.featureCount)
    // Column means of the training part are 0 after standardisation.
    let width = train.featureCount
    for column in 0..<Swift.min(width, 5) {
      let mean = (0..<train.count).map { train.features.scalars[$0 * width + column] }.reduce(0, +) / Float(train.count)
      #expect(abs(mean) < 1e-3)
    }
    let frame = session.frame(includePoints: true)
    #expect(frame["boundary"] == nil && frame["units"] == nil && frame["points"] == nil)
  }
}
