# Task 2.3: the weight gradient comes out transposed (G^T X), which only fits when D == M
def affine_backward(G, X, W):
    dW = G.T @ X
    return G @ W.T, (dW if dW.shape == W.shape else dW.T), G.sum(axis=0)
