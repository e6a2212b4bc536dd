import Foundation
import Testing

/// Every kind of bad input a user can give the CLI ends in one `error: …` line on stderr
/// that says where, what and what to do, and the right exit code: 1 for a runtime error,
/// 64 for an invalid option. Never a trap, a backtrace, output on stdout or a partial
/// output file.
@Suite("BadInputTests", BadInputFiles.Scope())
struct BadInputTests {
  @Test("bad data files", arguments: [
    BadInput(["train", "--dataset", "nope"], 1, "--dataset nope: no bundled data set of that name and no such file"),
    BadInput(["train", "--dataset", "missing.csv"], 1, "missing.csv: no such file; check the path"),
    BadInput(["train", "--dataset", "empty.csv"], 1, "empty.csv: the file is empty; expected comma-separated rows"),
    BadInput(["train", "--dataset", "header-only.csv"], 1, "header-only.csv: the file has a header row but no data rows"),
    BadInput(["train", "--dataset", "folder.csv"], 1, "folder.csv: cannot read the file (it is a directory; give a file)"),
    BadInput(["train", "--dataset", "ragged.csv"], 1, "ragged.csv line 3: 2 cells, but the first row has 3 (a missing or extra separator?)"),
    BadInput(["train", "--dataset", "text.csv"], 1, "text.csv line 3, column 2: \"x\" is text in a column of numbers (2 numbers, 1 text cell)"),
    BadInput(["train", "--dataset", "comma.csv"], 1, "comma.csv line 3, column 1: \"1,5\" is not a number (a decimal comma? numbers need a decimal point: 1.5, not 1,5)"),
    BadInput(["train", "--dataset", "nan.csv"], 1, "nan.csv line 2, column 2: the cell is missing (empty, NA, NaN, …); drop such rows with --missing drop"),
    BadInput(["train", "--dataset", "inf.csv"], 1, "inf.csv line 2, column 2: \"inf\" is infinite; clean or drop that row"),
    BadInput(["train", "--dataset", "infinity.csv"], 1, "infinity.csv line 3, column 2: \"-inf\" is infinite; clean or drop that row"),
    BadInput(["train", "--dataset", "empty-cell.csv"], 1, "empty-cell.csv line 2, column 2: the cell is missing"),
    BadInput(["train", "--dataset", "quote.csv"], 1, "quote.csv line 3, column 1: the quoted field is never closed"),
    BadInput(["train", "--dataset", "single-column.csv"], 1, "single-column.csv: the only column is the label"),
    BadInput(["train", "--dataset", "fractional-labels.csv", "--task", "classification"], 1, "fractional-labels.csv line 2, column 3: the label \"0.5\" has decimals, so it is not a class; load it as regression for numeric targets"),
    BadInput(["train", "--dataset", "one-class.csv", "--save", "one-class.safetensors"], 1, "one-class.csv: every label is 0, so there is one class and nothing to learn", output: "one-class.safetensors"),
    BadInput(["train", "--dataset", "two-rows.csv"], 1, "two-rows.csv has 2 rows, too few to hold out a test part"),
    BadInput(["train", "--dataset", "iris", "--loss", "sigmoid-cross-entropy"], 1, "--loss sigmoid-cross-entropy needs two classes, but iris has 3"),
    BadInput(["train", "--dataset", "iris", "--loss", "nll", "--output-activation", "linear", "--save", "nll.safetensors"], 1, "nll expects log-probabilities: on linear outputs −z_y has no minimum", contains: "[nll-without-log-softmax]", output: "nll.safetensors"),
    BadInput(["train", "--dataset", "breast-cancer", "--loss", "binary-cross-entropy", "--output-activation", "softmax"], 1, "softmax over a single output unit is always 1", contains: "[single-unit-softmax]"),
    BadInput(["evaluate", "--model", "iris.safetensors", "--dataset", "label-7.csv"], 1, "label-7.csv: the label \"7\" is not one of the model's classes (0, 1, 2); evaluate it on data with the same classes"),
    BadInput(["evaluate", "--model", "iris.safetensors", "--dataset", "three-features.csv"], 1, "three-features.csv has 3 features but the model iris.safetensors takes 4"),
    BadInput(["predict", "--model", "iris.safetensors", "--input", "rows-3-columns.csv"], 1, "rows-3-columns.csv has 3 columns but the model iris.safetensors takes 4 features"),
    BadInput(["predict", "--model", "iris.safetensors", "--input", "rows-nan.csv"], 1, "rows-nan.csv row 1, column \"sepal width (cm)\": the cell is missing and the model iris.safetensors has no value to fill it with"),
    BadInput(["predict", "--model", "iris.safetensors", "--input", "missing.csv"], 1, "missing.csv: no such file"),
  ])
  func badData(_ input: BadInput) throws { try input.check() }

  @Test("bad model files", arguments: [
    BadInput(["evaluate", "--model", "nothing.safetensors", "--dataset", "iris"], 1, "nothing.safetensors: no such file (check the path)"),
    BadInput(["inspect", "outdir"], 1, "outdir: is a folder, not a model file"),
    BadInput(["inspect", "empty.safetensors"], 1, "empty.safetensors: the file is 0 bytes, too short for a safetensors header"),
    BadInput(["evaluate", "--model", "truncated.safetensors", "--dataset", "iris"], 1, "truncated.safetensors: tensor \"2.bias\" data ends at byte 2060 but the data section holds 1960 bytes (file truncated?)"),
    BadInput(["predict", "--model", "truncated.safetensors", "--input", "rows-3-columns.csv"], 1, "truncated.safetensors: tensor \"2.bias\" data ends at byte 2060"),
    BadInput(["train", "--dataset", "iris", "--resume", "truncated.safetensors"], 1, "truncated.safetensors: tensor \"2.bias\" data ends at byte 2060"),
    BadInput(["train", "--dataset", "iris", "--resume", "iris.safetensors"], 1, "--resume iris.safetensors: a model file without optimizer state or epoch"),
    BadInput(["inspect", "header-length.safetensors"], 1, "header-length.safetensors: the header length says 100000 bytes but only 3076 follow it"),
    BadInput(["inspect", "header-json.safetensors"], 1, "header-json.safetensors: the header is not valid JSON"),
    BadInput(["inspect", "dtype.safetensors"], 1, "dtype.safetensors: tensor \"0.weight\" has unknown dtype \"X32\""),
    BadInput(["inspect", "float16.safetensors"], 1, "float16.safetensors: tensor \"0.weight\" is F16 but Dendrite reads F32 (and I64 counts) only"),
    BadInput(["inspect", "offsets.safetensors"], 1, "offsets.safetensors: tensor \"2.bias\" data ends at byte 9060 but the data section holds 2060 bytes"),
    BadInput(["inspect", "shape.safetensors"], 1, "shape.safetensors: tensor \"2.bias\" has shape [4] but its data holds 3 floats"),
    BadInput(["evaluate", "--model", "missing-tensor.safetensors", "--dataset", "iris"], 1, "missing-tensor.safetensors: tensor \"2.bias\" is missing; layer 2 (dense 64 → 3) needs it"),
    BadInput(["inspect", "loss.safetensors"], 1, "loss.safetensors: dendrite.architecture: unknown loss \"softmax-cross-entropx\""),
    BadInput(["inspect", "version.safetensors"], 1, "version.safetensors: dendrite.format_version is \"9\" but this Dendrite reads version 1"),
  ])
  func badModelFile(_ input: BadInput) throws { try input.check() }

  @Test("bad IDX files", arguments: [
    BadInput(["train", "--dataset", "magic-images-idx3-ubyte"], 1, "magic-images-idx3-ubyte: magic number 0x00001234 at byte 0, expected 0x00000803"),
    BadInput(["train", "--dataset", "swapped-images-idx3-ubyte"], 1, "swapped-images-idx3-ubyte: magic number 0x00000801 at byte 0, expected 0x00000803 (IDX images); this is a labels file"),
    BadInput(["train", "--dataset", "count-images-idx3-ubyte"], 1, "count-images-idx3-ubyte holds 5 images but count-labels-idx1-ubyte holds 4 labels"),
    BadInput(["train", "--dataset", "cut-images-idx3-ubyte"], 1, "cut-images-idx3-ubyte: the file ends at byte 33 but its header needs 36 bytes (incomplete download?)"),
    BadInput(["train", "--dataset", "overcount-images-idx3-ubyte"], 1, "overcount-images-idx3-ubyte: the file ends at byte 36 but its header needs 40 bytes"),
    BadInput(["train", "--dataset", "undercount-images-idx3-ubyte"], 1, "undercount-images-idx3-ubyte: 36 bytes, but its header accounts for 32; the counts in the header are wrong"),
    BadInput(["train", "--dataset", "alone-images-idx3-ubyte"], 1, "alone-images-idx3-ubyte: no labels file beside it (tried alone-labels-idx1-ubyte"),
    BadInput(["evaluate", "--model", "iris.safetensors", "--dataset", "checksum-images-idx3-ubyte.gz"], 1, "checksum-images-idx3-ubyte.gz: the gzip stream is corrupt at byte", contains: "incorrect data check"),
    BadInput(["train", "--dataset", "short-images-idx3-ubyte.gz"], 1, "short-images-idx3-ubyte.gz: the gzip stream is corrupt at byte", contains: "the stream ends early"),
  ])
  func badIDXFile(_ input: BadInput) throws { try input.check() }

  @Test("invalid options exit 64 before any work", arguments: [
    BadInput(["train", "--dataset", "iris", "--loss", "hinge"], 64, "--loss hinge: unknown"),
    BadInput(["train", "--dataset", "iris", "--activation", "cube"], 64, "--activation cube: unknown"),
    BadInput(["train", "--dataset", "iris", "--output-activation", "cube"], 64, "--output-activation cube: unknown"),
    BadInput(["train", "--dataset", "iris", "--optimizer", "lbfgs"], 64, "--optimizer lbfgs: unknown"),
    BadInput(["train", "--dataset", "iris", "--layers", "64,,10"], 64, "--layers \"64,,10\": empty layer size at position 2; expected sizes like 64,32"),
    BadInput(["train", "--dataset", "iris", "--layers", "64,abc"], 64, "--layers \"64,abc\": \"abc\" at position 2 is not a positive whole number"),
    BadInput(["train", "--dataset", "iris", "--layers=-8"], 64, "--layers \"-8\": \"-8\" at position 1 is not a positive whole number"),
    BadInput(["train", "--dataset", "iris", "--layers", "2000000000"], 64, "--layers \"2000000000\": 2000000000 units at position 1 is more than 65536"),
    BadInput(["train", "--dataset", "iris", "--layers", "10000,10000"], 64, "--layers \"10000,10000\": 10000×10000 weights between positions 1 and 2 are more than 67108864"),
    BadInput(["train", "--dataset", "iris", "--epochs", "0"], 64, "--epochs must be a positive whole number, got 0"),
    BadInput(["train", "--dataset", "iris", "--epochs=-5"], 64, "--epochs must be a positive whole number, got -5"),
    BadInput(["train", "--dataset", "iris", "--epochs", "-5"], 64, "--epochs must be a positive whole number, got -5"),
    BadInput(["train", "--dataset", "iris", "--batch-size", "-3"], 64, "--batch-size must be a positive whole number, got -3"),
    BadInput(["train", "--dataset", "iris", "--learning-rate", "-1"], 64, "--learning-rate must be a positive number, got -1"),
    BadInput(["train", "--dataset", "iris", "--learning-rate", "-0.5"], 64, "--learning-rate must be a positive number, got -0.5"),
    BadInput(["train", "--dataset", "iris", "--dropout", "-0.5"], 64, "--dropout must be in [0, 1), got -0.5"),
    BadInput(["train", "--dataset", "iris", "--seed", "-5"], 64, "--seed must be a whole number from 0 to 18446744073709551615, got -5"),
    BadInput(["train", "--dataset", "iris", "--seed", "18446744073709551616"], 64, "--seed must be a whole number from 0 to 18446744073709551615, got 18446744073709551616"),
    BadInput(["train", "--dataset", "iris", "--seed", "4.5"], 64, "--seed must be a whole number from 0 to 18446744073709551615, got 4.5"),
    BadInput(["train", "--dataset", "iris", "--layers", "-8"], 64, "--layers \"-8\": \"-8\" at position 1 is not a positive whole number"),
    BadInput(["train", "--dataset", "iris", "--layers", ""], 64, "--layers is empty; give hidden layer sizes like 64,32, or none for no hidden layer"),
    BadInput(["train", "--dataset", "iris", "--layers", " "], 64, "--layers is empty; give hidden layer sizes like 64,32, or none for no hidden layer"),
    BadInput(["train", "--dataset", "iris", "--resume", "c.safetensors", "--layers", "8", "--seed", "3"], 64, "--resume takes the model and the run from the checkpoint, so --layers and --seed would be ignored; drop them, or start a new run without --resume"),
    BadInput(["train", "--dataset", "iris", "--resume", "c.safetensors", "--optimizer", "sgd"], 64, "--resume takes the model and the run from the checkpoint, so --optimizer would be ignored; drop it"),
    BadInput(["train", "--dataset", "iris", "--resume", "c.safetensors", "--activation", "tanh", "--loss", "mse", "--output-activation", "sigmoid", "--learning-rate", "0.1", "--preprocessing", "none", "--dropout", "0"], 64, "--resume takes the model and the run from the checkpoint, so --activation, --loss, --output-activation, --learning-rate, --preprocessing and --dropout would be ignored"),
    BadInput(["train", "--dataset", "iris", "--batch-size", "0"], 64, "--batch-size must be a positive whole number, got 0"),
    BadInput(["train", "--dataset", "iris", "--batch-size=-3"], 64, "--batch-size must be a positive whole number, got -3"),
    BadInput(["train", "--dataset", "iris", "--learning-rate=-0.1"], 64, "--learning-rate must be a positive number, got -0.1"),
    BadInput(["train", "--dataset", "iris", "--learning-rate", "nan"], 64, "--learning-rate must be a positive number, got nan"),
    BadInput(["train", "--dataset", "iris", "--task", "ranking"], 64, "--task ranking: use classification or regression"),
    BadInput(["train", "--dataset", "iris", "--dropout", "1.5"], 64, "--dropout must be in [0, 1), got 1.5"),
    BadInput(["train", "--dataset", "iris", "--epochs", "many"], 64, "The value 'many' is invalid for '--epochs <epochs>' (see 'dendrite train --help')"),
    BadInput(["train", "--dataset", "iris", "--epoch", "3"], 64, "Unknown option '--epoch'", contains: "(see 'dendrite train --help')"),
    BadInput(["evaluate", "--model", "iris.safetensors"], 64, "Missing expected argument '--dataset <NAME|FILE>' (see 'dendrite evaluate --help')"),
    BadInput(["fit"], 64, "Unexpected argument 'fit' (see 'dendrite --help')"),
  ])
  func invalidOption(_ input: BadInput) throws { try input.check() }

  @Test("outputs that cannot be written fail before training and leave no file", arguments: [
    BadInput(["train", "--dataset", "iris", "--save", "afile/m.safetensors"], 1, "--save afile/m.safetensors: ", contains: "/afile is a file, not a folder", output: "afile/m.safetensors"),
    BadInput(["train", "--dataset", "iris", "--checkpoint", "afile/c.safetensors"], 1, "--checkpoint afile/c.safetensors: ", contains: "/afile is a file, not a folder"),
    BadInput(["train", "--dataset", "iris", "--save", "outdir"], 1, "--save outdir: that is a folder; give a file name such as outdir/model.safetensors"),
    BadInput(["train", "--dataset", "iris", "--save", ""], 1, "--save needs a file name, such as model.safetensors"),
    BadInput(["train", "--dataset", "iris", "--save", "/nonexistent-dir/m.safetensors"], 1, "--save /nonexistent-dir/m.safetensors: the folder /nonexistent-dir does not exist; create it first"),
    BadInput(["lab", "--output", "afile/report"], 1, "cannot create the output directory afile/report: ", contains: "/afile is a file, not a folder"),
    BadInput(["lab", "--output", "/dev/null"], 1, "cannot create the output directory /dev/null"),
  ])
  func unwritableOutput(_ input: BadInput) throws { try input.check() }

  @Test("a diverging run exits 1 with one line and writes neither --save nor --checkpoint")
  func divergingRun() throws {
    try BadInput(
      ["train", "--dataset", "iris", "--task", "regression", "--layers", "64", "--loss", "mse", "--learning-rate", "1e30", "--epochs", "5",
       "--save", "diverged.safetensors", "--checkpoint", "diverged-checkpoint.safetensors"],
      // The first non-finite loss is NaN or infinite depending on the GEMM kernel's rounding
      // (FMA or not); the step, the parameter and the advice are what matter.
      1, "training diverged at epoch 1, step 2: the loss is ",
      contains: "; the gradient of 0.weight went non-finite first. Lower the learning rate",
      output: "diverged.safetensors"
    ).check()
    let directory = try #require(BadInputFiles.directory)
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    #expect(!names.contains { $0.contains("diverged") }, "left behind: \(names.filter { $0.contains("diverged") })")
  }
}

/// One bad command line and what the CLI must answer.
struct BadInput: Sendable, CustomTestStringConvertible {
  let arguments: [String]
  let status: Int32
  /// The start of the message, after `error: `.
  let message: String
  /// Text the message must also contain (an absolute path, zlib's words).
  let contains: String?
  /// A file the command must not have created (nor a temporary file beside it).
  let output: String?

  init(_ arguments: [String], _ status: Int32, _ message: String, contains: String? = nil, output: String? = nil) {
    self.arguments = arguments
    self.status = status
    self.message = message
    self.contains = contains
    self.output = output
  }

  var testDescription: String { "dendrite " + arguments.map { $0.isEmpty ? "''" : $0 }.joined(separator: " ") }

  func check() throws {
    let directory = try #require(BadInputFiles.directory, "the suite's files (BadInputFiles.Scope)")
    let result = try DendriteProcess.run(arguments, in: directory)
    let lines = result.stderr.split(separator: "\n").map(String.init)
    #expect(result.status == status, "exit code; stderr: \(result.stderr)")
    #expect(result.stdout.isEmpty, "stdout: \(result.stdout)")
    #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Backtrace"), "\(result.stderr)")
    let prefix = "error: " + message
    #expect(lines.first?.hasPrefix(prefix) == true, "expected \"\(prefix)…\", got \(result.stderr)")
    if let contains { #expect(lines.first?.contains(contains) == true, "expected \"\(contains)\" in \(result.stderr)") }
    #expect(lines.count == 1, "one line: \(result.stderr)")
    if let output {
      let url = directory.appendingPathComponent(output)
      #expect(!FileManager.default.fileExists(atPath: url.path), "\(output) was written")
      let folder = url.deletingLastPathComponent()
      let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?
        .filter { $0.hasPrefix("." + url.lastPathComponent) } ?? []
      #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
    }
  }
}
