# Task 2.7: applies the activation to the last layer too, before the softmax
def mlp_loss_and_grads(params, X, y, activation="relu"):
    f = ACTIVATIONS[activation]
    back = {"relu": lambda G, z, a: relu_backward(G, z), "sigmoid": lambda G, z, a: sigmoid_backward(G, a),
            "tanh": lambda G, z, a: tanh_backward(G, a)}[activation]
    cache, h = [], X
    for W, b in params:
        z = affine_forward(h, W, b)
        cache.append((h, z, f(z)))
        h = f(z)
    loss, G = softmax_cross_entropy(h, y)
    grads = []
    for (h_in, z, a), (W, b) in zip(reversed(cache), reversed(params)):
        G = back(G, z, a)
        G, dW, db = affine_backward(G, h_in, W)
        grads.append((dW, db))
    return loss, grads[::-1]
