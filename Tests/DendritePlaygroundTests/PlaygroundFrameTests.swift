import Dendrite
import Testing

@testable import DendritePlayground

@Suite struct PlaygroundFrameTests {
  @Test func aFrameHasEveryDocumentedKey() throws {
    let session = try PlaygroundSession(config: PlaygroundConfig(hash: "dataset=gauss3&layers=4,2"))
    session.trainEpoch()
    let frame = session.frame(includePoints: true)
    for key in [
      "type", "epoch", "trainLoss", "testLoss", "trainAccuracy", "testAccuracy", "advice", "network", "boundary", "units",
      "gradientFlow", "points",
    ] {
      #expect(frame[key] != nil, "missing \(key)")
    }
    #expect(frame["playing"] == nil)
    #expect(frame["type"] == "frame")
    #expect(frame["epoch"] == 1)
    #expect(frame["network"]?["inputs"] == ["x1", "x2"])
    guard case .array(let layers)? = frame["network"]?["layers"] else {
      Issue.record("no layers")
      return
    }
    #expect(layers.map { $0["units"] } == [4, 2, 3])
    #expect(layers.map { $0["activation"] } == ["tanh", "tanh", "linear"])
    if case .array(let rows)? = layers[0]["weights"] {
      #expect(rows.count == 4)
      #expect(rows.allSatisfy { $0.numbers?.count == 2 })
    }
    #expect(layers[0]["biases"]?.numbers?.count == 4)
    // The boundary: 40×40 over [−6, 6], class + p for three classes.
    #expect(frame["boundary"]?["size"] == 40)
    #expect(frame["boundary"]?["extent"] == [-6, 6])
    let boundary = frame["boundary"]?["values"]?.numbers ?? []
    #expect(boundary.count == 1600)
    #expect(boundary.allSatisfy { $0 >= 0 && $0 < 3 })
    // Unit maps: per hidden layer, then the output; 16×16 each.
    guard case .array(let maps)? = frame["units"] else {
      Issue.record("no units")
      return
    }
    #expect(maps.count == 3)
    if case .array(let first)? = maps.first {
      #expect(first.count == 4)
      #expect(first.first?["size"] == 16)
      #expect(first.first?["values"]?.numbers?.count == 256)
    }
    // Gradient flow: one entry per dense layer.
    let flow = frame["gradientFlow"]
    #expect(flow?["layers"] == ["dense 1 (2 → 4)", "dense 2 (4 → 2)", "dense 3 (2 → 3)"])
    #expect(flow?["weightGradientNorms"]?.numbers?.count == 3)
    if case .array(let shares)? = flow?["saturatedShare"] { #expect(shares.count == 3) } else { Issue.record("no shares") }
    if case .array(let dead)? = flow?["deadShare"] { #expect(dead == [.null, .null, .null]) } else { Issue.record("no dead") }
    if case .array = flow?["flags"] {} else { Issue.record("no flags") }
    // Points: train and test, [x1, x2, label].
    if case .array(let train)? = frame["points"]?["train"], case .array(let test)? = frame["points"]?["test"] {
      #expect(train.count + test.count == 500 && abs(train.count - 250) <= 2)
      #expect(train.first?.numbers?.count == 3)
    } else {
      Issue.record("no points")
    }
    #expect(session.frame(includePoints: false)["points"] == nil)
  }

  @Test func twoClassBoundaryIsAProbability() throws {
    let session = try PlaygroundSession(config: PlaygroundConfig(hash: "dataset=circle"))
    let values = session.frame(includePoints: false)["boundary"]?["values"]?.numbers ?? []
    #expect(values.count == 1600)
    #expect(values.allSatisfy { $0 >= 0 && $0 <= 1 })
  }

  @Test func gradientFlowBeforeAndAfterTraining() throws {
    let session = try PlaygroundSession(config: PlaygroundConfig(hash: "layers=8,8,8,8,8,8&activation=sigmoid"))
    let before = session.frame(includePoints: false)["gradientFlow"]?["weightGradientNorms"]?.numbers ?? []
    #expect(before.count == 7 && before.allSatisfy { $0 > 0 })
    for _ in 0..<3 { session.trainEpoch() }
    let flow = session.frame(includePoints: false)["gradientFlow"]
    let after = flow?["weightGradientNorms"]?.numbers ?? []
    #expect(after.count == 7)
    // The deep sigmoid stack: the input side's gradient is a sliver of the output side's.
    if let first = after.first, let last = after.last { #expect(first < last / 100) }
    guard case .array(let flags)? = flow?["flags"] else {
      Issue.record("no flags")
      return
    }
    #expect(flags.contains { if case .string(let text) = $0 { text.contains("vanishing") } else { false } })
    let relu = try PlaygroundSession(config: PlaygroundConfig(hash: "layers=8,8&activation=relu"))
    relu.trainEpoch()
    if case .array(let dead)? = relu.frame(includePoints: false)["gradientFlow"]?["deadShare"] {
      #expect(dead.count == 3 && dead[0] != .null && dead[2] == .null)
    }
  }

  @Test func numbersAreRoundedAndFramesStayCompact() throws {
    #expect(FrameNumbers.rounded(0.123456) == 0.1235)
    #expect(FrameNumbers.rounded(-98765.4) == -98770)
    #expect(FrameNumbers.json(Float.nan) == .null)
    #expect(FrameNumbers.grid([0.12345, -0.0001, 2.9996], decimals: 3) == [0.123, 0, 3])
    let standard = try PlaygroundSession(config: PlaygroundConfig())
    let wide = try PlaygroundSession(config: PlaygroundConfig(hash: "layers=8,8,8,8,8,8"))
    let sizes = [
      standard.frame(includePoints: true), standard.frame(includePoints: false), wide.frame(includePoints: true),
      wide.frame(includePoints: false),
    ].map { $0.jsonText().utf8.count }
    print("frame bytes: default with points \(sizes[0]), without \(sizes[1]); 6×8 with points \(sizes[2]), without \(sizes[3])")
    #expect(sizes[1] < 24_000)
    #expect(sizes[3] < 100_000)
  }
}
