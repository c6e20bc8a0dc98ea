# Task 2.3: sums the bias gradient over the wrong axis (per example instead of over the batch)
def affine_backward(G, X, W):
    return G @ W.T, X.T @ G, G.sum(axis=1)
