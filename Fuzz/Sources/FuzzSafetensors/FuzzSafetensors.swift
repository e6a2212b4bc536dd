// libFuzzer target for the safetensors reader and the model-file rebuild on top of it:
// every input must load or throw a ModelFileError, never crash.
//
//     ./run.sh safetensors 60
//
// What loads must also survive a round trip: encoding it and reading it back gives the
// same bytes, and a ModelFile's own safetensors() rebuild into a ModelFile again.
import Dendrite

/// libFuzzer calls this once per input (`swift build --sanitize fuzzer` links libFuzzer's main).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  guard let file = try? SafetensorsFile(bytes: bytes) else { return 0 }
  let encoded = file.encoded()
  guard let again = try? SafetensorsFile(bytes: encoded) else {
    preconditionFailure("encoded() output does not read back")
  }
  precondition(again.encoded() == encoded, "encoded() → init(bytes:) → encoded() changed the bytes")
  guard let model = try? ModelFile(safetensors: file) else { return 0 }
  precondition((try? ModelFile(safetensors: model.safetensors())) != nil, "ModelFile.safetensors() does not read back")
  return 0
}
