# Task 2.8: lists the layers from the output back to the input
def layer_gradient_norms(sizes, activation, X, y, seed=0):
    _, grads = mlp_loss_and_grads(init_mlp(sizes, activation, seed), X, y, activation)
    return [float(np.linalg.norm(dW)) for dW, _ in reversed(grads)]
