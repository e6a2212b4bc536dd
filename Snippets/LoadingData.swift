// Data sets for training: a bundled one, split for training and testing, and a CSV file of
// your own with text columns (run from the repository's root, where Examples/ is).
import Dendrite
import DendriteData

let digits = try Datasets.digits()  // 1797 images of 8 × 8 pixels, 10 classes
let (train, test) = digits.split(testFraction: 0.2, seed: 42)  // stratified, shuffled
print("digits:", train.count, "training rows,", test.count, "test rows,", digits.featureCount, "features")

// The Palmer penguins: body mass (grams) from species, island, sex (text: one-hot encoded),
// the bill and flipper measurements and the year.
let penguins = try CSVLoader.load(
  path: "Examples/penguins.csv", labelColumn: .name("body_mass_g"), task: .regression)
print("penguins:", penguins.count, "rows,", penguins.featureCount, "features after one-hot encoding")
print(penguins.featureNames?.prefix(5).joined(separator: ", ") ?? "")
