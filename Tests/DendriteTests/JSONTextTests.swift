import Foundation
import Testing

@testable import Dendrite

@Suite("JSONTextTests")
struct JSONTextTests {
  static let sample: JSONValue = [
    "b": [1, 2.5, .null], "a": ["empty": [], "none": .object([:]), "flag": false], "c": "x/y",
  ]

  @Test("compact text: sorted keys, no spaces")
  func compact() {
    #expect(Self.sample.jsonText() == #"{"a":{"empty":[],"flag":false,"none":{}},"b":[1,2.5,null],"c":"x/y"}"#)
    #expect(JSONText.encode(Self.sample) == Self.sample.jsonText())
  }

  @Test("indented text: two spaces a level, \"key\" : value, empty containers on two lines")
  func indented() {
    let expected = """
      {
        "a" : {
          "empty" : [

          ],
          "flag" : false,
          "none" : {

          }
        },
        "b" : [
          1,
          2.5,
          null
        ],
        "c" : "x/y"
      }
      """
    #expect(Self.sample.jsonText(.indented) == expected)
    #expect(JSONValue.array([]).jsonText(.indented) == "[\n\n]")
  }

  @Test(
    "numbers: shortest round-trip form without .0, non-finite as null",
    arguments: [
      (0.0, "0"), (-0.0, "-0"), (3, "3"), (-12, "-12"), (0.1, "0.1"), (1e-5, "1e-05"), (2.5e-8, "2.5e-08"),
      (4_503_599_627_370_496, "4503599627370496"), (9_007_199_254_740_994, "9.007199254740994e+15"), (1e16, "1e+16"),
      (.nan, "null"), (.infinity, "null"), (-.infinity, "null"),
    ] as [(Double, String)])
  func numbers(value: Double, expected: String) {
    #expect(JSONValue.number(value).jsonText() == expected)
  }

  @Test("floats keep their shortest decimal form")
  func floats() {
    #expect(JSONValue.floats([0.1, 0.8788782, .nan]).jsonText() == "[0.1,0.8788782,null]")
  }

  @Test("strings escape quotes, backslashes and control characters, and nothing else")
  func strings() {
    let text = "q\" b\\ n\n r\r t\t \u{08}\u{0C}\u{01}\u{1F} / ü ∂ 😀"
    #expect(JSONValue.string(text).jsonText() == #""q\" b\\ n\n r\r t\t \b\f\u0001\u001f / ü ∂ 😀""#)
    #expect(JSONText.quoted("a\"b") == #""a\"b""#)
  }

  @Test("text read back gives the same value")
  func roundTrip() throws {
    let value: JSONValue = ["x": [0.1, -3, 1e300], "y": ["z": "é\n"], "n": .null, "t": true]
    let back = try JSONDecoder().decode(JSONValue.self, from: Data(value.jsonText(.indented).utf8))
    #expect(back == value)
  }
}
