# Task 4.6: uses p of the most likely class instead of p of the true class in the focal factor
def focal_loss(logits, y, gamma=2.0, alpha=None):
    log_p = torch.log_softmax(logits, dim=1)
    p_max = log_p.exp().max(dim=1).values
    per_example = -(1 - p_max) ** gamma * log_p.gather(1, y[:, None])[:, 0]
    return (per_example if alpha is None else alpha[y] * per_example).mean()
