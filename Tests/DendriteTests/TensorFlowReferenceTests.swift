import Dendrite
import Testing

@Suite("Agreement with TensorFlow's reference values")
struct TensorFlowReferenceTests {
  @Test("all 109 float32 cases of the shared reference file pass")
  func sharedReferenceCases() throws {
    let (ran, expected, failures) = try runReferenceFile("tf_reference_public")
    #expect(expected == 109)
    #expect(ran == 109)
    #expect(failures.isEmpty, "\(failures.count) failing cases:\n\(failures.joined(separator: "\n"))")
  }
}

@Suite("Agreement with generated TensorFlow cases for the other activations and losses")
struct ExtraReferenceTests {
  @Test("every float32 case of the generated file passes (Scripts/make_extra_reference.py)")
  func extraReferenceCases() throws {
    let (ran, expected, failures) = try runReferenceFile("tf_reference_extra")
    #expect(expected == 98)
    #expect(ran == expected)
    #expect(failures.isEmpty, "\(failures.count) failing cases:\n\(failures.joined(separator: "\n"))")
  }
}
