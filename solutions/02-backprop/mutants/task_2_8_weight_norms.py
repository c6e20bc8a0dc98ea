# Task 2.8: reports the norms of the weights instead of their gradients
def layer_gradient_norms(sizes, activation, X, y, seed=0):
    return [float(np.linalg.norm(W)) for W, _ in init_mlp(sizes, activation, seed)]
