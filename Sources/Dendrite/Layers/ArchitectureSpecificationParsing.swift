extension ArchitectureSpecification {
  /// Parses the grammar described at ``ArchitectureSpecification``.
  ///
  ///     let spec = try ArchitectureSpecification(parsing: "conv(32,3,stride=2,padding=1), relu, maxpool(2), flatten, dense(128)")
  ///     spec.layers[0]   // .convolution(filters: 32, kernelSize: 3, stride: 2, padding: 1)
  ///
  /// - Throws: ``ArchitectureSpecificationError`` naming the character position or the
  ///   layer's text and what was expected there:
  ///   `conv needs (filters, kernel), got "conv(32)"`.
  public init(parsing text: String) throws(ArchitectureSpecificationError) {
    var parser = SpecificationParser(text)
    self.init(layers: try parser.parseArchitecture())
  }

  /// The layer names the grammar knows besides the activations (which are
  /// ``CommandLineNames/hiddenActivations``), in the order messages list them.
  ///
  ///     ArchitectureSpecification.layerNames.first   // "conv"
  public static let layerNames = ["conv", "maxpool", "avgpool", "dense", "dropout", "batchnorm", "layernorm", "flatten", "residual"]
}

/// A recursive-descent parser over the characters of a specification.
private struct SpecificationParser {
  /// `name(arguments)` as written, before its arguments are checked.
  struct Call {
    var name: String
    var arguments: [Argument]
    /// The call's own text, for messages.
    var text: String
    /// Where the name starts, from 1.
    var position: Int
  }

  /// One argument of a call.
  enum Argument {
    case number(String)
    case keyed(key: String, value: String)
    case call(Call)
  }

  let characters: [Character]
  var index = 0

  init(_ text: String) { characters = Array(text) }

  mutating func parseArchitecture() throws(ArchitectureSpecificationError) -> [LayerSpecification] {
    skipSpaces()
    guard index < characters.count else {
      throw ArchitectureSpecificationError(
        "the specification is empty; write layers like conv(32,3),relu,maxpool(2),flatten,dense(128),relu")
    }
    var layers = [try layer(from: parseCall())]
    while true {
      skipSpaces()
      guard index < characters.count else { return layers }
      guard characters[index] == "," else { throw unexpected("\",\" between layers") }
      index += 1
      layers.append(try layer(from: parseCall()))
    }
  }

  // MARK: Syntax

  private mutating func skipSpaces() {
    while index < characters.count, characters[index].isWhitespace { index += 1 }
  }

  private var found: String { index < characters.count ? "\"\(characters[index])\"" : "the end" }

  private func unexpected(_ expected: String) -> ArchitectureSpecificationError {
    .syntax(at: index + 1, expected: expected, found: found)
  }

  private mutating func word(_ accepts: (Character) -> Bool) -> String {
    let start = index
    while index < characters.count, accepts(characters[index]) { index += 1 }
    return String(characters[start..<index])
  }

  private static func isNameCharacter(_ character: Character) -> Bool {
    character.isLetter || character.isNumber || character == "-" || character == "_"
  }

  private static func startsNumber(_ character: Character) -> Bool {
    character.isNumber || character == "." || character == "-" || character == "+"
  }

  private mutating func parseCall() throws(ArchitectureSpecificationError) -> Call {
    skipSpaces()
    guard index < characters.count, characters[index].isLetter else {
      throw unexpected("a layer name such as conv, dense or relu")
    }
    let start = index
    let name = word(Self.isNameCharacter).lowercased()
    var arguments: [Argument] = []
    skipSpaces()
    if index < characters.count, characters[index] == "(" {
      index += 1
      skipSpaces()
      if index < characters.count, characters[index] == ")" {
        index += 1
      } else {
        while true {
          arguments.append(try parseArgument())
          skipSpaces()
          guard index < characters.count, characters[index] == "," || characters[index] == ")" else {
            throw unexpected("\",\" or \")\" in \(name)(…)")
          }
          index += 1
          if characters[index - 1] == ")" { break }
        }
      }
    }
    let text = String(characters[start..<index]).trimmingTrailingSpaces
    return Call(name: name, arguments: arguments, text: text, position: start + 1)
  }

  private mutating func parseArgument() throws(ArchitectureSpecificationError) -> Argument {
    skipSpaces()
    guard index < characters.count else { throw unexpected("an argument") }
    if Self.startsNumber(characters[index]) { return .number(word { Self.startsNumber($0) || $0.isLetter }) }
    guard characters[index].isLetter else { throw unexpected("a number, key=number or a layer") }
    let start = index
    let name = word(Self.isNameCharacter)
    skipSpaces()
    if index < characters.count, characters[index] == "=" {
      index += 1
      skipSpaces()
      guard index < characters.count, Self.startsNumber(characters[index]) else { throw unexpected("a number after \(name)=") }
      return .keyed(key: name.lowercased(), value: word { Self.startsNumber($0) || $0.isLetter })
    }
    index = start
    return .call(try parseCall())
  }

  // MARK: Meaning

  /// The arguments a layer takes, by position and by key.
  private struct Signature {
    let name: String
    /// Argument names in positional order, and how `--help` shows an optional one's default.
    let parameters: [(name: String, defaultText: String?)]
    var required: Int { parameters.prefix { $0.defaultText == nil }.count }
    var needs: String { "\(name) needs (\(parameters.prefix(required).map(\.name).joined(separator: ", ")))" }
    var takes: String {
      let shown = parameters.map { parameter -> String in
        guard let defaultText = parameter.defaultText else { return parameter.name }
        return "\(parameter.name)=\(defaultText)"
      }
      return "\(name) takes (\(shown.joined(separator: ", ")))"
    }
  }

  private static let convolution = Signature(
    name: "conv", parameters: [("filters", nil), ("kernel", nil), ("stride", "1"), ("padding", "0")])
  private static func pooling(_ name: String) -> Signature {
    Signature(name: name, parameters: [("size", nil), ("stride", "size")])
  }

  private func layer(from call: Call) throws(ArchitectureSpecificationError) -> LayerSpecification {
    switch call.name {
    case "conv":
      let values = try bind(call, Self.convolution)
      return .convolution(
        filters: try whole(values, "filters", call, Self.convolution, in: 1...65_536),
        kernelSize: try whole(values, "kernel", call, Self.convolution, in: 1...1_024),
        stride: try wholeIfGiven(values, "stride", call, Self.convolution, in: 1...1_024) ?? 1,
        padding: try wholeIfGiven(values, "padding", call, Self.convolution, in: 0...1_024) ?? 0)
    case "maxpool", "avgpool":
      let signature = Self.pooling(call.name)
      let values = try bind(call, signature)
      let size: Int = try whole(values, "size", call, signature, in: 1...1_024)
      let stride = try wholeIfGiven(values, "stride", call, signature, in: 1...1_024)
      return call.name == "maxpool" ? .maxPool(size: size, stride: stride) : .averagePool(size: size, stride: stride)
    case "dense":
      let signature = Signature(name: "dense", parameters: [("units", nil)])
      return .dense(units: try whole(try bind(call, signature), "units", call, signature, in: 1...65_536))
    case "dropout":
      let signature = Signature(name: "dropout", parameters: [("rate", nil)])
      let text = try bind(call, signature)["rate"] ?? ""
      guard let rate = Float(text), rate >= 0, rate < 1 else {
        throw .arguments(signature.needs, got: call.text, problem: "the rate must be a number in [0, 1)")
      }
      return .dropout(rate: rate)
    case "residual":
      var body: [LayerSpecification] = []
      for argument in call.arguments {
        guard case .call(let inner) = argument else { throw Self.residualUsage(call) }
        body.append(try layer(from: inner))
      }
      guard !body.isEmpty else { throw Self.residualUsage(call) }
      return .residual(body)
    case "batchnorm", "layernorm", "flatten":
      try bind(call, Signature(name: call.name, parameters: []))
      return call.name == "batchnorm" ? .batchNorm : call.name == "layernorm" ? .layerNorm : .flatten
    default:
      guard CommandLineNames.hiddenActivations.contains(call.name), let activation = Activation(name: call.name) else {
        throw ArchitectureSpecificationError(
          "unknown layer \"\(call.name)\" at character \(call.position); use "
            + CommandLineNames.list(ArchitectureSpecification.layerNames)
            + " or an activation (\(CommandLineNames.list(CommandLineNames.hiddenActivations)))")
      }
      try bind(call, Signature(name: call.name, parameters: []))
      return .activation(activation)
    }
  }

  private static func residualUsage(_ call: Call) -> ArchitectureSpecificationError {
    .arguments("residual takes layers, like residual(dense(64),relu,dense(64))", got: call.text)
  }

  /// The call's arguments by name: positional ones in the signature's order, then keyed
  /// ones; every required one present, none unknown or given twice.
  @discardableResult
  private func bind(_ call: Call, _ signature: Signature) throws(ArchitectureSpecificationError) -> [String: String] {
    if signature.parameters.isEmpty && !call.arguments.isEmpty {
      throw .arguments("\(call.name) takes no arguments", got: call.text)
    }
    var values: [String: String] = [:]
    var position = 0
    for argument in call.arguments {
      switch argument {
      case .number(let text):
        guard position < signature.parameters.count else {
          throw .arguments(signature.takes, got: call.text, problem: "\(call.arguments.count) arguments")
        }
        values[signature.parameters[position].name] = text
        position += 1
      case .keyed(let key, let text):
        guard signature.parameters.contains(where: { $0.name == key }) else {
          throw .arguments(signature.takes, got: call.text, problem: "no argument \"\(key)\"")
        }
        guard values[key] == nil else { throw .arguments(signature.takes, got: call.text, problem: "\(key) given twice") }
        values[key] = text
      case .call:
        throw .arguments(signature.takes, got: call.text, problem: "arguments are numbers; layers go inside residual(…)")
      }
    }
    guard signature.parameters.prefix(signature.required).allSatisfy({ values[$0.name] != nil }) else {
      throw .arguments(signature.needs, got: call.text)
    }
    return values
  }

  /// The argument `name` as a whole number in `range`, nil when not given.
  private func wholeIfGiven(
    _ values: [String: String], _ name: String, _ call: Call, _ signature: Signature, in range: ClosedRange<Int>
  ) throws(ArchitectureSpecificationError) -> Int? {
    guard let text = values[name] else { return nil }
    guard let value = Int(text), range.contains(value) else {
      throw .arguments(
        signature.takes, got: call.text,
        problem: "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(text)")
    }
    return value
  }

  /// A required argument `name` as a whole number in `range`.
  private func whole(
    _ values: [String: String], _ name: String, _ call: Call, _ signature: Signature, in range: ClosedRange<Int>
  ) throws(ArchitectureSpecificationError) -> Int {
    guard let value = try wholeIfGiven(values, name, call, signature, in: range) else {
      throw .arguments(signature.needs, got: call.text)
    }
    return value
  }
}

extension String {
  /// The text without the spaces at its end.
  fileprivate var trimmingTrailingSpaces: String {
    var text = self
    while text.last?.isWhitespace == true { text.removeLast() }
    return text
  }
}
