/**
 * Confidence in [0, 1] from a match's score and from how close its nearest rival came.
 * A high score with no rival is near certain; two equally good options halve it.
 */
export function confidenceOf(score: number, rivalScore: number | null): number {
  const strength = 1 / (1 + Math.exp(-(score - 38) / 7));
  if (rivalScore === null) return clamp(strength);
  const margin = score - rivalScore;
  return clamp(strength * Math.min(1, 0.5 + margin / 20));
}

function clamp(x: number): number {
  return Math.round(Math.min(1, Math.max(0, x)) * 1000) / 1000;
}
