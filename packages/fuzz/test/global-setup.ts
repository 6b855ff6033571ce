/** One seed for the whole run, printed once, so every file replays together with `FUZZ_SEED`. */
export default function setup(): void {
  process.env.FUZZ_SEED ??= String(Math.floor(Math.random() * 2 ** 31))
  console.log(
    `[fuzz] seed ${process.env.FUZZ_SEED} (replay: FUZZ_SEED=${process.env.FUZZ_SEED} pnpm --filter @sess/fuzz test:integration)`,
  )
}
