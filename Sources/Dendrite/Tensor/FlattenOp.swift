/// Flattens every axis but the first: `[N, d₁, d₂, …] → [N, d₁·d₂·…]`, as PyTorch's
/// `torch.flatten(x, 1)`; a reshape, so its gradient is the reshape back.
///
///     flatten(Tensor.zeros(shape: [8, 32, 5, 5])).shape   // [8, 800]
///
/// - Precondition: x has rank ≥ 1.
public func flatten(_ x: Tensor) -> Tensor {
  precondition(x.rank >= 1, "flatten needs a tensor with a batch axis, got shape \(x.shape)")
  return x.reshaped(to: [x.shape[0], x.shape.dropFirst().reduce(1, *)])
}
