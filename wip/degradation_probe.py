import time, numpy as np, torch
from torch import nn
from data import load_digits
torch.set_num_threads(2)
d = load_digits(seed=0, flatten=False)
X = torch.tensor(d.X_train, dtype=torch.float32)[:, None]; y = torch.tensor(d.y_train)

class Net(nn.Module):
    def __init__(self, blocks, residual, width=16):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU())
        self.blocks = nn.ModuleList(nn.Sequential(nn.Conv2d(width, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
                                                  nn.Conv2d(width, width, 3, padding=1, bias=False), nn.BatchNorm2d(width)) for _ in range(blocks))
        self.residual = residual
        self.head = nn.Linear(width, 10)
    def forward(self, x):
        h = self.stem(x)
        for b in self.blocks:
            h = torch.relu(b(h) + h) if self.residual else torch.relu(b(h))
        return self.head(h.mean(dim=(2, 3)))

def run(blocks, residual, seed, epochs=6):
    torch.manual_seed(seed); m = Net(blocks, residual)
    opt = torch.optim.SGD(m.parameters(), lr=0.05, momentum=0.9)
    g = torch.Generator().manual_seed(seed); errs = []
    for e in range(epochs):
        m.train()
        for idx in torch.randperm(len(X), generator=g).split(64):
            opt.zero_grad(); nn.functional.cross_entropy(m(X[idx]), y[idx]).backward(); opt.step()
        m.eval()
        with torch.no_grad(): errs.append((m(X).argmax(1) != y).float().mean().item())
    return errs
for blocks, res in [(2, False), (10, False), (10, True)]:
    t = time.perf_counter()
    r = [run(blocks, res, s) for s in range(2)]
    print(blocks*2+2, "layers", "res" if res else "plain", np.round(np.mean(r, 0), 3), f"{time.perf_counter()-t:.0f}s")
