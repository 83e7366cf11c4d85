#!/usr/bin/env python3
"""The reference figures for `genrm bench`, in PyTorch, for a machine where TorchSharp's CUDA build
cannot be had: the same MiniWorld model shapes (a Llama decoder, untied embeddings, SwiGLU 4x,
vocabulary 102, context 512) with random weights, measured the way `genrm bench` measures them:

- dense matmul rate, fp32 and bf16 (n x n, median over repeats);
- training-step throughput (forward, backward, AdamW; fp32, and bf16 weights with fp32 master
  copies as the workbench keeps them) on batches of random sequences whose lengths follow
  MiniWorld's judge prompts (~250-450 tokens, right padded), in real tokens/s and model FLOP/s
  counted as nanoGPT's estimate_mfu (6 N per token plus 12 L H Q T), and its ratio to the matmul rate;
- sampling tokens/s with a preallocated KV cache at batch 1, 32 and 128, and the speed-up over
  recomputing the whole sequence each step;
- with --judge-shapes (the token shapes `genrm bench` judged, which it writes), judging pairs/s:
  a reward-model judge (both sequences of a pair, a score at each one's last token), the direct
  judge (prompt plus each verdict, its log-probability read) and the chain-of-thought judge (k votes
  per pair sampled with the KV cache, each as long as the workbench's rationales were on average).

Writes JSON with the same figure keys as `genrm bench` where they mean the same thing. Needs only
torch. Usage: python tools/bench_reference.py --device cuda --model-size default --out bench-reference.json
"""

import argparse
import json
import math
import statistics
import time

import torch
import torch.nn.functional as F

SHAPES = {  # hidden, layers, heads: MiniWorldModel presets and the bench's 3.5m shape
    "smoke": (96, 4, 4),
    "default": (128, 4, 4),
    "3.5m": (192, 6, 4),
}
VOCAB, CONTEXT = 102, 512


class RmsNorm(torch.nn.Module):  # torch.nn.RMSNorm needs torch 2.4; this works on any 2.x
    def __init__(self, d, eps=1e-5):
        super().__init__()
        self.weight, self.eps = torch.nn.Parameter(torch.ones(d)), eps

    def forward(self, x):
        return self.weight * (x.float() * torch.rsqrt(x.float().pow(2).mean(-1, keepdim=True) + self.eps)).to(x.dtype)


class Block(torch.nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.norm1 = RmsNorm(d)
        self.qkv = torch.nn.Linear(d, 3 * d, bias=False)  # q, k, v fused, as a fused C# model would run them
        self.o = torch.nn.Linear(d, d, bias=False)
        self.norm2 = RmsNorm(d)
        self.gate_up = torch.nn.Linear(d, 8 * d, bias=False)
        self.down = torch.nn.Linear(4 * d, d, bias=False)

    def forward(self, x, cos, sin, cache=None, start=0):
        b, t, d = x.shape
        q, k, v = self.qkv(self.norm1(x)).view(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        q, k = rotate(q, cos, sin), rotate(k, cos, sin)
        if cache is not None:
            cache[0][:, :, start:start + t] = k
            cache[1][:, :, start:start + t] = v
            k, v = cache[0][:, :, :start + t], cache[1][:, :, :start + t]
        y = attention(q, k, v, causal=t > 1)
        x = x + self.o(y.transpose(1, 2).reshape(b, t, d))
        gate, up = self.gate_up(self.norm2(x)).chunk(2, -1)
        return x + self.down(F.silu(gate) * up)


def attention(q, k, v, causal):
    if hasattr(F, "scaled_dot_product_attention"):
        return F.scaled_dot_product_attention(q, k, v, is_causal=causal)
    # torch before 2.0 (Debian 12's 1.13) has no SDPA: the same product written out.
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if causal:
        t, s = scores.shape[-2:]
        scores = scores.masked_fill(torch.ones(t, s, dtype=torch.bool, device=q.device).triu(s - t + 1), float("-inf"))
    return scores.softmax(-1) @ v


def rotate(x, cos, sin):
    half = x.shape[-1] // 2
    rotated = torch.cat([-x[..., half:], x[..., :half]], -1)
    return x * cos + rotated * sin


class Model(torch.nn.Module):
    def __init__(self, d, layers, heads):
        super().__init__()
        self.d, self.layers_n, self.heads = d, layers, heads
        self.embed = torch.nn.Embedding(VOCAB, d)
        self.layers = torch.nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.norm = RmsNorm(d)
        self.head = torch.nn.Linear(d, VOCAB, bias=False)
        q = d // heads
        inv = 1.0 / (10000 ** (torch.arange(0, q, 2).float() / q))
        freqs = torch.outer(torch.arange(CONTEXT).float(), inv)
        self.register_buffer("cos", torch.cat([freqs, freqs], -1).cos(), persistent=False)
        self.register_buffer("sin", torch.cat([freqs, freqs], -1).sin(), persistent=False)

    def forward(self, ids, caches=None, start=0):
        return self.head(self.hidden(ids, caches, start))

    def hidden(self, ids, caches=None, start=0):
        t = ids.shape[1]
        cos = self.cos[start:start + t].to(self.embed.weight.dtype)
        sin = self.sin[start:start + t].to(self.embed.weight.dtype)
        x = self.embed(ids)
        for i, layer in enumerate(self.layers):
            x = layer(x, cos, sin, None if caches is None else caches[i], start)
        return self.norm(x)

    def matrix_parameters(self):
        return sum(p.numel() for n, p in self.named_parameters() if not n.startswith("embed") and p.dim() == 2)


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def median_seconds(device, repeats, fn):
    times = []
    for _ in range(repeats):
        sync(device)
        start = time.perf_counter()
        fn()
        sync(device)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def matmul_flops(device, dtype, n, repeats):
    a = torch.randn(n, n, device=device).to(dtype)
    b = torch.randn(n, n, device=device).to(dtype)
    a @ b
    return 2 * n ** 3 / median_seconds(device, repeats, lambda: a @ b)


def training(device, shape, dtype, batch, steps, warmup, lengths_gen):
    torch.manual_seed(1)
    model = Model(*shape).to(device)
    masters = None
    if dtype == torch.bfloat16:
        model = model.to(dtype)
        masters = [p.detach().float().clone().requires_grad_() for p in model.parameters()]
        optimizer = torch.optim.AdamW(masters, lr=1e-7, betas=(0.9, 0.95), weight_decay=0.1)
    else:
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-7, betas=(0.9, 0.95), weight_decay=0.1)
    rates, all_lengths = [], []
    for step in range(warmup + steps):
        lengths = [lengths_gen() for _ in range(batch)]
        width = max(lengths)
        ids = torch.randint(0, VOCAB, (batch, width), device=device)
        mask = (torch.arange(width, device=device)[None, :] < torch.tensor(lengths, device=device)[:, None]).float()
        sync(device)
        start = time.perf_counter()
        logits = model(ids)[:, :-1].float()
        losses = F.cross_entropy(logits.reshape(-1, VOCAB), ids[:, 1:].reshape(-1), reduction="none").view(batch, -1)
        loss = (losses * mask[:, 1:]).sum() / mask[:, 1:].sum()
        loss.backward()
        if masters is not None:
            for master, p in zip(masters, model.parameters()):
                master.grad = p.grad.float()
        torch.nn.utils.clip_grad_norm_(masters or model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        model.zero_grad(set_to_none=True)
        if masters is not None:
            with torch.no_grad():
                for master, p in zip(masters, model.parameters()):
                    p.copy_(master)
        loss.item()
        sync(device)
        if step >= warmup:
            rates.append(sum(lengths) / (time.perf_counter() - start))
            all_lengths.extend(lengths)
    n, (d, layers, heads) = model.matrix_parameters(), shape
    flops = sum(6 * n * t + 12 * layers * d * t * t for t in all_lengths) / sum(all_lengths)
    return statistics.median(rates), flops


@torch.no_grad()
def sample(device, model, batch, prompt, new_tokens, cache):
    ids = torch.randint(0, VOCAB, (batch, prompt), device=device)
    d, layers, heads = model.d, model.layers_n, model.heads
    if cache:
        caches = [(torch.zeros(batch, heads, prompt + new_tokens, d // heads, device=device),
                   torch.zeros(batch, heads, prompt + new_tokens, d // heads, device=device)) for _ in range(layers)]
        logits = model(ids, caches, 0)[:, -1]
        for step in range(new_tokens - 1):
            token = torch.multinomial(logits.softmax(-1), 1)
            logits = model(token, caches, prompt + step)[:, -1]
    else:
        for _ in range(new_tokens - 1):
            logits = model(ids)[:, -1]
            ids = torch.cat([ids, torch.multinomial(logits.softmax(-1), 1)], 1)


@torch.no_grad()
def judge_reward_model(device, model, score, pairs, batch):
    for i in range(0, len(pairs), batch):
        lengths = torch.tensor([n for pair in pairs[i:i + batch] for n in pair], device=device)
        ids = torch.randint(0, VOCAB, (len(lengths), int(lengths.max())), device=device)
        score(model.hidden(ids)[torch.arange(len(lengths), device=device), lengths - 1])


@torch.no_grad()
def judge_direct(device, model, prompts, verdict_tokens, batch):
    for i in range(0, len(prompts), batch):
        lengths = torch.tensor([p + verdict_tokens for p in prompts[i:i + batch] for _ in "AB"], device=device)
        ids = torch.randint(0, VOCAB, (len(lengths), int(lengths.max())), device=device)
        logprobs = model(ids).log_softmax(-1)
        positions = lengths[:, None] - verdict_tokens - 1 + torch.arange(verdict_tokens, device=device)[None, :]
        rows = torch.arange(len(lengths), device=device)[:, None]
        logprobs[rows, positions].gather(-1, ids[rows, positions + 1][..., None]).sum((1, 2))


def judge_cot(device, model, prompts, votes, new_tokens, batch):
    per_batch = max(1, batch // votes)
    for i in range(0, len(prompts), per_batch):
        part = prompts[i:i + per_batch]
        sample(device, model, len(part) * votes, max(part), new_tokens, True)


def judging(device, shape, shapes):
    torch.manual_seed(1)
    model = Model(*shape).to(device).eval()
    score = torch.nn.Linear(shape[0], 1, bias=False).to(device)
    batch, votes = shapes["batch"], shapes["cot_votes"]
    cases = {
        "judge_reward_model_pairs_per_s": (len(shapes["reward_model"]), lambda: judge_reward_model(device, model, score, shapes["reward_model"], batch)),
        "judge_direct_pairs_per_s": (len(shapes["direct"]), lambda: judge_direct(device, model, shapes["direct"], shapes["verdict_tokens"], batch)),
        f"judge_cot_k{votes}_pairs_per_s": (len(shapes["cot_prompts"]), lambda: judge_cot(device, model, shapes["cot_prompts"], votes, shapes["cot_new_tokens"], batch)),
    }
    figures = {}
    for key, (pairs, run) in cases.items():
        run()  # warm-up
        figures[key] = pairs / median_seconds(device, 3, run)
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--model-size", default="default", choices=sorted(SHAPES))
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (0: torch's default)")
    parser.add_argument("--judge-shapes", default=None, help="JSON of the token shapes `genrm bench` judged")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    gpu = device.type == "cuda"
    shape = SHAPES[args.model_size]
    n = 4096 if gpu else 1024
    figures = {
        "matmul_fp32_gflops": matmul_flops(device, torch.float32, n, 20) / 1e9,
        "matmul_bf16_gflops": matmul_flops(device, torch.bfloat16, n, 20) / 1e9,
    }
    generator = torch.Generator().manual_seed(1)
    lengths = lambda: int(torch.randint(250, 450, (1,), generator=generator))
    batch = 64 if gpu else 16
    for name, dtype in (("fp32", torch.float32), ("bf16", torch.bfloat16)):
        rate, flops_per_token = training(device, shape, dtype, batch, steps=20 if gpu else 8, warmup=3, lengths_gen=lengths)
        figures[f"train_sft_{name}_tokens_per_s"] = rate
        figures[f"train_sft_{name}_gflops"] = rate * flops_per_token / 1e9
        figures[f"train_sft_{name}_ratio_to_matmul"] = rate * flops_per_token / 1e9 / figures[f"matmul_{name}_gflops"]
    model = Model(*shape).to(device).eval()
    prompt, new_tokens, recompute_tokens = 330, 128, 32
    for b in (1, 32, 128):
        seconds = median_seconds(device, 3, lambda: sample(device, model, b, prompt, new_tokens, True))
        figures[f"sample_kv_batch{b}_tokens_per_s"] = b * new_tokens / seconds
    for b in (1, 32):
        cached = median_seconds(device, 3, lambda: sample(device, model, b, prompt, recompute_tokens, True))
        recomputed = median_seconds(device, 3, lambda: sample(device, model, b, prompt, recompute_tokens, False))
        figures[f"sample_recompute_batch{b}_tokens_per_s"] = b * recompute_tokens / recomputed
        figures[f"sample_kv_speedup_batch{b}"] = recomputed / cached
    if args.judge_shapes:
        with open(args.judge_shapes) as f:
            figures.update(judging(device, shape, json.load(f)))
    report = {
        "config": {"model_size": args.model_size, "shape": dict(zip(("hidden", "layers", "heads"), shape)), "train_batch": batch,
                   "matmul_size": n, "prompt_tokens": prompt, "sample_tokens": new_tokens, "recompute_tokens": recompute_tokens},
        "context": {"device": str(device), "name": torch.cuda.get_device_name() if gpu else "cpu", "torch": torch.__version__,
                    "threads": torch.get_num_threads()},
        "figures": figures,
    }
    width = max(map(len, figures))
    for key, value in figures.items():
        print(f"{key.ljust(width)}  {value:14.3f}")
    if args.out:
        with open(args.out, "w") as f:
            json.dump(report, f, indent=2)
        print("Wrote", args.out)


if __name__ == "__main__":
    main()
