"""Turn what gpu/run.py wrote (NAME.q8.pt.NNN parts) back into lm/train.py checkpoints
(NAME.pt: float32 state dict, config, counters), so export/, eval/ and make_fixture.py work as for
a CPU run. Q8_0 matrices are dequantized; the check below proves that the exporter's Q8_0
quantization gives the same blocks again (the GGUF holds exactly what the GPU saved).

usage: python3 unpack.py RUN_DIR OUT_DIR [--names target,draft]
"""
import argparse, glob, io, os, sys
import torch
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lm'))
from q8 import q8_0_roundtrip


def main():
    ap = argparse.ArgumentParser(); ap.add_argument('run'); ap.add_argument('out'); ap.add_argument('--names', default='target,draft')
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    for name in a.names.split(','):
        parts = sorted(glob.glob(os.path.join(a.run, f'{name}.q8.pt.[0-9][0-9][0-9]')))
        if not parts: sys.exit(f'no {name}.q8.pt.NNN in {a.run}')
        ck = torch.load(io.BytesIO(b''.join(open(p, 'rb').read() for p in parts)), map_location='cpu')
        state, worst = {}, 0.0
        for k, v in ck['state'].items():
            if v[0] == 'q8':
                q, d = v[1], v[2]
                w = (q.float().reshape(-1, 32) * d.float().reshape(-1, 1)).reshape(q.shape)
                again = torch.from_numpy(q8_0_roundtrip(w.numpy()))
                worst = max(worst, (again - w).abs().max().item())
                state[k] = w
            else:
                state[k] = v[1].float()
        ck['state'] = state
        torch.save(ck, os.path.join(a.out, f'{name}.pt'))
        print(f'{name}: {len(parts)} parts, {ck.get("steps")} steps, {ck.get("tokens")} tokens, loss {ck.get("loss")}, '
              f'Q8_0 re-quantization max change {worst:g}')
        if worst > 0: sys.exit(f'{name}: re-quantizing changed the weights (max {worst}); the GGUF would differ from training')


if __name__ == '__main__':
    main()
