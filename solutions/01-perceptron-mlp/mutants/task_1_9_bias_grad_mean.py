# Task 1.9: averages the bias gradients over the batch although dL/dS already carries 1/N
def mlp_loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    pre = X @ W1 + b1
    hidden = np.maximum(pre, 0.0)
    scores = hidden @ W2 + b2
    d_scores = softmax_cross_entropy_grad(scores, y)
    d_pre = (d_scores @ W2.T) * (pre > 0)
    grads = {"W1": X.T @ d_pre, "b1": d_pre.mean(axis=0), "W2": hidden.T @ d_scores, "b2": d_scores.mean(axis=0)}
    return softmax_cross_entropy(scores, y), grads
