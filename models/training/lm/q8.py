"""ggml's Q8_0 round trip in numpy (quantize_row_q8_0_ref, then dequantize), so PyTorch can run
with exactly the weights llama.cpp reads from the exported GGUF."""
import numpy as np
import torch


def q8_0_roundtrip(w):
    a = np.ascontiguousarray(w, dtype=np.float32)
    shape = a.shape
    blocks = a.reshape(-1, 32)
    amax = np.abs(blocks).max(axis=1, keepdims=True)
    d = (amax / np.float32(127)).astype(np.float32)
    with np.errstate(divide='ignore'):
        inv = np.where(d != 0, np.float32(1) / d, np.float32(0)).astype(np.float32)
    v = (blocks * inv).astype(np.float32)
    q = np.sign(v) * np.floor(np.abs(v) + np.float32(0.5))          # roundf: ties away from zero
    scale = d.astype(np.float16).astype(np.float32)
    return (q * scale).astype(np.float32).reshape(shape)


def quantize_like_gguf(state):
    """The state dict with every matrix that the exporter writes as Q8_0 replaced by its round trip."""
    out = {}
    for k, v in state.items():
        if v.dim() == 2:   # embedding and all linear weights (biases and norms stay float32)
            out[k] = torch.from_numpy(q8_0_roundtrip(v.float().numpy()))
        else:
            out[k] = v.float()
    return out
