import { describe, expect, it } from '@jest/globals';
import { centeredClip } from './centered-clip.js';

const f32 = (...xs: number[]) => new Float32Array(xs);
const approx = (xs: number[], digits = 6) => xs.map((x) => expect.closeTo(x, digits));

describe('centeredClip (Karimireddy et al. 2021)', () => {
  it('clips each vector’s distance to the center at τ, then averages the steps', () => {
    // ‖[3, 4]‖ = 5 → scaled to [0.6, 0.8]; ‖[0.6, 0.8]‖ = 1 kept; mean = [0.6, 0.8]
    const out = centeredClip([f32(3, 4), f32(0.6, 0.8)], f32(0, 0), 1, 1);
    expect(Array.from(out)).toEqual(approx([0.6, 0.8]));
  });

  it('starts from the given center', () => {
    // distances [3, 4] (clipped to [0.6, 0.8]) and 0: step = [0.3, 0.4]
    const out = centeredClip([f32(3.6, 4.8), f32(0.6, 0.8)], f32(0.6, 0.8), 1, 1);
    expect(Array.from(out)).toEqual(approx([0.9, 1.2]));
  });

  it('iterates towards the honest cluster', () => {
    const vs = [f32(1), f32(1), f32(1), f32(-100)];
    const one = centeredClip(vs, f32(0), 0.5, 1)[0]!;
    const five = centeredClip(vs, f32(0), 0.5, 5)[0]!;
    expect(one).toBeCloseTo((0.5 * 3 - 0.5) / 4, 6);
    expect(Math.abs(five - 1)).toBeLessThan(Math.abs(one - 1));
  });

  it('validates its parameters', () => {
    expect(() => centeredClip([], f32(0), 1, 1)).toThrow(RangeError);
    expect(() => centeredClip([f32(1)], f32(0), 0, 1)).toThrow(/radius/);
    expect(() => centeredClip([f32(1)], f32(0), 1, 0)).toThrow(/iterations/);
  });
});
