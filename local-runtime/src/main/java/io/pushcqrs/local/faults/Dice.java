package io.pushcqrs.local.faults;

import java.util.Random;

/** A seeded random sequence, shared by the threads that ask it (the same seed gives the same sequence). */
final class Dice {
    private final Random random;

    Dice(long seed) {
        this.random = new Random(seed);
    }

    synchronized double roll() {
        return random.nextDouble();
    }

    synchronized int below(int bound) {
        return random.nextInt(bound);
    }
}
