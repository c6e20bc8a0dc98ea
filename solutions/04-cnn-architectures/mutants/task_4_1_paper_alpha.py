# Task 4.1: uses the paper's alpha instead of alpha / n, so it does not match nn.LocalResponseNorm
def local_response_norm(a, n=5, alpha=1e-4, beta=0.75, k=2.0):
    squares = a.pow(2)
    channels = a.shape[1]
    sums = torch.stack([squares[:, max(0, i - n // 2):min(channels, i + n // 2 + 1)].sum(dim=1) for i in range(channels)], dim=1)
    return a / (k + alpha * sums).pow(beta)
