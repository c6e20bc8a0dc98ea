# Task 1.10: slices the first minibatch of the epoch on every step
def train_mlp(X, y, n_hidden=256, epochs=40, batch_size=32, lr=0.02, momentum=0.9, weight_decay=1e-3, seed=0, progress=True):
    params = init_mlp(X.shape[1], n_hidden, int(y.max()) + 1, seed=seed)
    velocity = {k: np.zeros_like(v) for k, v in params.items()}
    rng = np.random.default_rng(seed)
    losses = []
    for _ in range(epochs):
        order = rng.permutation(len(X))
        batch_losses = []
        for start in range(0, len(X), batch_size):
            batch = order[:batch_size]
            loss, grads = mlp_loss_and_grads(params, X[batch], y[batch])
            for key in params:
                params[key], velocity[key] = sgd_momentum_step(params[key], grads[key], velocity[key], lr, momentum, weight_decay)
            batch_losses.append(loss)
        losses.append(float(np.mean(batch_losses)))
    return params, losses
