# Task 4.6: divides the weighted sum by the batch size instead of the sum of the weights
def weighted_cross_entropy(logits, y, weights):
    log_p = torch.log_softmax(logits, dim=1).gather(1, y[:, None])[:, 0]
    return -(weights[y] * log_p).sum() / len(y)
