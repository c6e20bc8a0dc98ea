# Task 2.7: passes the pre-activation z where sigmoid_backward and tanh_backward expect the output a
def mlp_loss_and_grads(params, X, y, activation="relu"):
    f = ACTIVATIONS[activation]
    back = {"relu": relu_backward, "sigmoid": sigmoid_backward, "tanh": tanh_backward}[activation]
    cache, h = [], X
    for i, (W, b) in enumerate(params):
        z = affine_forward(h, W, b)
        cache.append((h, z))
        h = z if i == len(params) - 1 else f(z)
    loss, G = softmax_cross_entropy(h, y)
    grads = []
    for i in reversed(range(len(params))):
        h_in, z = cache[i]
        if i < len(params) - 1:
            G = back(G, z)
        G, dW, db = affine_backward(G, h_in, params[i][0])
        grads.append((dW, db))
    return loss, grads[::-1]
