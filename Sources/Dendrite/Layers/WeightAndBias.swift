/// The `parameterValues` setter of a layer whose parameters are a weight and a bias
/// (`Dense`, `Conv2D`, `BatchNorm`, `LayerNorm`): checks the count and both shapes, then
/// replaces them. A wrong count or shape is a programming error and traps with both shapes.
///
///     set { replaceWeightAndBias(&weight, &bias, with: newValue, layer: "Dense") }
func replaceWeightAndBias(_ weight: inout Tensor, _ bias: inout Tensor, with values: [Tensor], layer: String) {
  precondition(values.count == 2, "\(layer) has 2 parameters, got \(values.count)")
  precondition(values[0].shape == weight.shape, "weight shape \(values[0].shape) ≠ \(weight.shape)")
  precondition(values[1].shape == bias.shape, "bias shape \(values[1].shape) ≠ \(bias.shape)")
  weight = values[0]
  bias = values[1]
}
