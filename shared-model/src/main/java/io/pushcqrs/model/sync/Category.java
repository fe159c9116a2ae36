package io.pushcqrs.model.sync;

import java.util.ArrayList;
import java.util.List;

/** A count and its first examples. */
public final class Category {
    private final String name;
    private final int maxExamples;
    private long count;
    private final List<Finding> examples = new ArrayList<>();

    public Category(String name, int maxExamples) {
        this.name = name;
        this.maxExamples = maxExamples;
    }

    /** Counts one; returns true when it is kept as an example (so its details are worth computing). */
    public boolean add() {
        count++;
        return examples.size() < maxExamples;
    }

    public void example(Finding f) {
        if (examples.size() < maxExamples) {
            examples.add(f);
        }
    }

    public String name() {
        return name;
    }

    public long count() {
        return count;
    }

    public List<Finding> examples() {
        return List.copyOf(examples);
    }
}
