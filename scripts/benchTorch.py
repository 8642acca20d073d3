"""PyTorch twin of one `npm run bench` workload: the same CIFAR ResNet, objective and SGD step on the CPU.

src/cli/bench.ts runs this when `import torch` works and prints tfjs/PyTorch side by side. It mirrors
src/core: ResNet-(6n+2) (src/core/models/resnet.ts), CE or CE + lambda*OPL (src/core/losses/), OPL's value
also computed for CE runs (logged, not differentiated), SGD with momentum 0.9 and weight decay 5e-4.
Random inputs, made once. With several losses, one model per loss (same initial weights) and their timed
steps interleaved, so background load hits each alike. Prints one JSON line:
{"torch": version, "threads": n, "results": {loss: {"imgPerSec", "msPerStep" (median), "msPerStepMin"}}}.

  python3 scripts/benchTorch.py --model resnet8 --width 16 --batch 64 --losses ce,opl --threads 1
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

BLOCKS_PER_STAGE = {"resnet8": 1, "resnet14": 2, "resnet20": 3}


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (self.shortcut(x) if self.shortcut is not None else x))


class ResNet(nn.Module):
    def __init__(self, model, width, classes):
        super().__init__()
        self.stem = nn.Conv2d(3, width, 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(width)
        blocks, cin = [], width
        for stage in range(3):
            cout = width * 2**stage
            for b in range(BLOCKS_PER_STAGE[model]):
                blocks.append(Block(cin, cout, 2 if stage > 0 and b == 0 else 1))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        x = self.blocks(F.relu(self.bn(self.stem(x))))
        features = x.mean((2, 3))
        return features, self.fc(features)


def opl(features, labels, gamma=0.5):
    """OPL as src/core/losses/opl.ts: (1 - s) + gamma * d over the batch's pairwise cosines."""
    unit = F.normalize(features, dim=1, eps=1e-12)
    cos = unit @ unit.t()
    same = (labels[:, None] == labels[None, :]).float()
    pos = same - torch.eye(len(labels))
    neg = 1 - same
    s = (pos * cos).sum() / (pos.sum() + 1e-6)
    d = (neg * cos).sum() / (neg.sum() + 1e-6)
    return 1 - s + gamma * d


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="resnet8", choices=sorted(BLOCKS_PER_STAGE))
    p.add_argument("--width", type=int, default=16)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--losses", default="ce,opl", help="comma-separated: ce, opl")
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--count-params", action="store_true", help="print the model's trainable parameter count and exit")
    a = p.parse_args()
    if a.count_params:
        print(sum(t.numel() for t in ResNet(a.model, a.width, a.classes).parameters()))
        return
    losses = [l for l in a.losses.split(",") if l]
    if not losses or any(l not in ("ce", "opl") for l in losses):
        p.error("--losses takes ce and/or opl")

    torch.set_num_threads(a.threads)
    images = torch.randn(a.batch, 3, 32, 32)
    labels = torch.randint(0, a.classes, (a.batch,))

    def make_step(loss):
        torch.manual_seed(0)
        model = ResNet(a.model, a.width, a.classes)
        model.train()
        sgd = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)

        def step():
            features, logits = model(images)
            ce = F.cross_entropy(logits, labels)
            if loss == "opl":
                loss_opl = opl(features, labels)
                total = ce + 1.0 * loss_opl
            else:
                with torch.no_grad():  # the trainer logs OPL for CE runs too
                    loss_opl = opl(features, labels)
                total = ce
            sgd.zero_grad(set_to_none=True)
            total.backward()
            sgd.step()
            accuracy = (logits.argmax(1) == labels).float().mean()
            # one readback per step, as the trainer's logEvery = 1
            torch.stack([total.detach(), ce.detach(), loss_opl.detach(), accuracy]).tolist()

        return step

    steps = {loss: make_step(loss) for loss in losses}
    for step in steps.values():
        for _ in range(a.warmup):
            step()
    times = {loss: [] for loss in losses}
    for i in range(a.steps):
        # ABBA order: a drift in background load does not favour whichever loss goes first.
        for loss in losses if i % 2 == 0 else losses[::-1]:
            t0 = time.perf_counter()
            steps[loss]()
            times[loss].append(time.perf_counter() - t0)
    results = {}
    for loss, ts in times.items():
        ms = statistics.median(ts) * 1000
        results[loss] = {"imgPerSec": a.batch / ms * 1000, "msPerStep": ms, "msPerStepMin": min(ts) * 1000}
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "results": results}))


if __name__ == "__main__":
    main()
