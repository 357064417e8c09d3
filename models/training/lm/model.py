"""A small decoder-only LM with exactly the computation of llama.cpp's "qwen2" architecture, so
trained weights export to GGUF without conversion tricks:
  token embedding (tied with the LM head), per layer: RMSNorm -> q/k/v projections WITH bias,
  rotary embedding in NEOX layout (first half / second half of each head, as llama.cpp uses for
  qwen2), grouped-query attention, output projection; RMSNorm -> SwiGLU MLP (gate, up, down);
  final RMSNorm; logits = h @ embedding^T.
"""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        xf = x.float()
        return (xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)).type_as(x) * self.weight


def rope_tables(n_pos, head_dim, base):
    inv = 1.0 / (base ** (torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim))
    ang = torch.outer(torch.arange(n_pos, dtype=torch.float64), inv)
    return torch.cos(ang).float(), torch.sin(ang).float()


def rope_neox(x, cos, sin):
    """x: (B, H, T, D). Rotates pairs (i, i + D/2): llama.cpp's NEOX rope."""
    half = x.shape[-1] // 2
    a, b = x[..., :half], x[..., half:]
    c = cos[: x.shape[-2]].to(x.dtype)
    s = sin[: x.shape[-2]].to(x.dtype)
    return torch.cat([a * c - b * s, b * c + a * s], dim=-1)


class Layer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d, nh, nkv = cfg['hidden'], cfg['heads'], cfg['kv_heads']
        self.nh, self.nkv, self.hd = nh, nkv, d // nh
        self.attn_norm = RMSNorm(d, cfg['rms_eps'])
        self.q = nn.Linear(d, nh * self.hd, bias=True)
        self.k = nn.Linear(d, nkv * self.hd, bias=True)
        self.v = nn.Linear(d, nkv * self.hd, bias=True)
        self.o = nn.Linear(nh * self.hd, d, bias=False)
        self.ffn_norm = RMSNorm(d, cfg['rms_eps'])
        self.gate = nn.Linear(d, cfg['ff'], bias=False)
        self.up = nn.Linear(d, cfg['ff'], bias=False)
        self.down = nn.Linear(cfg['ff'], d, bias=False)

    _masks = {}

    @classmethod
    def causal_mask(cls, T, device):
        key = (T, str(device))
        if key not in cls._masks:
            cls._masks[key] = torch.triu(torch.ones(T, T, dtype=torch.bool, device=device), 1)
        return cls._masks[key]

    def forward(self, x, cos, sin):
        B, T, _ = x.shape
        h = self.attn_norm(x)
        q = self.q(h).view(B, T, self.nh, self.hd).transpose(1, 2)
        k = self.k(h).view(B, T, self.nkv, self.hd).transpose(1, 2)
        v = self.v(h).view(B, T, self.nkv, self.hd).transpose(1, 2)
        q, k = rope_neox(q, cos, sin), rope_neox(k, cos, sin)
        if self.nkv != self.nh:
            k = k.repeat_interleave(self.nh // self.nkv, dim=1)
            v = v.repeat_interleave(self.nh // self.nkv, dim=1)
        if hasattr(F, 'scaled_dot_product_attention') and x.is_cuda:   # PyTorch >= 2.0: flash attention on a GPU
            att = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            scores = (q @ k.transpose(-1, -2)) * (1.0 / math.sqrt(self.hd))
            scores = scores.masked_fill(self.causal_mask(T, x.device), float('-inf'))
            att = torch.softmax(scores.float(), dim=-1).type_as(v) @ v
        x = x + self.o(att.transpose(1, 2).reshape(B, T, -1))
        h = self.ffn_norm(x)
        return x + self.down(F.silu(self.gate(h)) * self.up(h))


def default_ff(hidden):
    return 64 * math.ceil(hidden * 8 / 3 / 64)


class CodeLM(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        cfg = dict(cfg)
        cfg.setdefault('kv_heads', cfg['heads'])
        cfg.setdefault('ff', default_ff(cfg['hidden']))
        cfg.setdefault('rms_eps', 1e-6)
        cfg.setdefault('rope_base', 10000.0)
        self.cfg = cfg
        self.embed = nn.Embedding(cfg['vocab'], cfg['hidden'])
        self.layers = nn.ModuleList([Layer(cfg) for _ in range(cfg['layers'])])
        self.norm = RMSNorm(cfg['hidden'], cfg['rms_eps'])
        cos, sin = rope_tables(cfg['context'], cfg['hidden'] // cfg['heads'], cfg['rope_base'])
        self.register_buffer('cos', cos, persistent=False)
        self.register_buffer('sin', sin, persistent=False)
        self._init()

    def _init(self):
        std = 0.02
        nn.init.normal_(self.embed.weight, std=std)
        for name, p in self.named_parameters():
            if name.startswith('embed') or p.dim() < 2:
                if name.endswith('bias'): nn.init.zeros_(p)
                continue
            scaled = name.endswith(('o.weight', 'down.weight'))
            nn.init.normal_(p, std=std / math.sqrt(2 * self.cfg['layers']) if scaled else std)

    def param_counts(self):
        total = sum(p.numel() for p in self.parameters())
        emb = self.embed.weight.numel()
        return dict(total=total, embedding=emb, non_embedding=total - emb)

    def forward(self, idx):
        x = self.embed(idx)
        for layer in self.layers:
            x = layer(x, self.cos, self.sin)
        return self.norm(x) @ self.embed.weight.t()

    def loss(self, idx, targets, mask):
        logits = self(idx)
        lf = F.cross_entropy(logits.float().reshape(-1, logits.size(-1)), targets.reshape(-1), reduction='none')
        m = mask.reshape(-1).float()
        return (lf * m).sum() / m.sum().clamp(min=1)
