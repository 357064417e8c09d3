"""Dump a training checkpoint as raw float32 tensors in llama.cpp's qwen2 naming, for the
TypeScript GGUF exporter (models/training/exportGguf.ts).

usage: python3 export_weights.py CKPT.pt OUT_PREFIX --name NAME
Writes OUT_PREFIX.weights.bin (float32 little endian, tensors back to back) and
OUT_PREFIX.weights.json ({name, config, tensors: [{name, ne, offset, quantize}]}).
PyTorch's (out, in) row-major matrices are ggml's ne = [in, out] with the same memory layout.
"""
import argparse, json, os
import numpy as np
import torch


def gguf_tensors(state, cfg):
    """[(gguf name, float32 array, quantize)] in the order llama.cpp's converter writes them."""
    out = [('token_embd.weight', state['embed.weight'], True)]
    for i in range(cfg['layers']):
        p = f'layers.{i}.'; g = f'blk.{i}.'
        out += [
            (g + 'attn_norm.weight', state[p + 'attn_norm.weight'], False),
            (g + 'attn_q.weight', state[p + 'q.weight'], True), (g + 'attn_q.bias', state[p + 'q.bias'], False),
            (g + 'attn_k.weight', state[p + 'k.weight'], True), (g + 'attn_k.bias', state[p + 'k.bias'], False),
            (g + 'attn_v.weight', state[p + 'v.weight'], True), (g + 'attn_v.bias', state[p + 'v.bias'], False),
            (g + 'attn_output.weight', state[p + 'o.weight'], True),
            (g + 'ffn_norm.weight', state[p + 'ffn_norm.weight'], False),
            (g + 'ffn_gate.weight', state[p + 'gate.weight'], True),
            (g + 'ffn_up.weight', state[p + 'up.weight'], True),
            (g + 'ffn_down.weight', state[p + 'down.weight'], True),
        ]
    out.append(('output_norm.weight', state['norm.weight'], False))
    return [(n, t.detach().float().cpu().numpy().astype('<f4'), q) for n, t, q in out]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('ckpt'); ap.add_argument('out_prefix'); ap.add_argument('--name', required=True)
    ap.add_argument('--description', default='')
    a = ap.parse_args()
    ck = torch.load(a.ckpt, map_location='cpu')
    cfg = ck['cfg']
    tensors, offset = [], 0
    os.makedirs(os.path.dirname(os.path.abspath(a.out_prefix)), exist_ok=True)
    with open(a.out_prefix + '.weights.bin', 'wb') as f:
        for name, arr, quant in gguf_tensors(ck['state'], cfg):
            f.write(np.ascontiguousarray(arr).tobytes())
            tensors.append(dict(name=name, ne=list(reversed(arr.shape)), offset=offset, quantize=quant))
            offset += arr.size * 4
    manifest = dict(name=a.name, description=a.description, config=cfg, tensors=tensors,
                    training=dict(steps=ck.get('steps'), tokens=ck.get('tokens'), seconds=ck.get('seconds'),
                                  cpu_seconds=ck.get('cpu_seconds'), loss=ck.get('loss'), params=ck.get('params'),
                                  args={k: v for k, v in (ck.get('args') or {}).items() if k in ('lr', 'warmup', 'batch', 'ctx', 'minutes', 'threads', 'device', 'spm_rate')}))
    with open(a.out_prefix + '.weights.json', 'w') as f:
        json.dump(manifest, f, indent=1)
    print(f'{a.out_prefix}.weights.bin: {offset / 1e6:.1f} MB, {len(tensors)} tensors')


if __name__ == '__main__':
    main()
