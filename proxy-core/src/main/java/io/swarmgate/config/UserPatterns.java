package io.swarmgate.config;

import static io.swarmgate.config.ParameterValues.invalid;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayDeque;

/**
 * Regular expressions that users give ({@code path_reg}, {@code reqPathSearchReplace}), compiled by RE2/J: matching
 * takes time linear in the input whatever the pattern, so no pattern (say {@code ^(a+)+$}) can stall an event loop
 * by backtracking. The work per input character grows with the compiled program, so its size is bounded too: at most
 * {@value #MAX_LENGTH} characters and, as RE2 itself does, nested counted repetitions ({@code (a{100}){100}}) of at
 * most {@value #MAX_REPETITION} in product, which RE2/J alone would compile into a million instructions.
 */
final class UserPatterns {
    /** Far above any routing pattern seen in practice. */
    static final int MAX_LENGTH = 1000;
    static final int MAX_REPETITION = 1000;

    private UserPatterns() {
    }

    /** @throws InvalidServiceException (400) naming the parameter when the pattern is not valid or too long */
    static Pattern compile(String parameter, String pattern) {
        checkSize(parameter, pattern);
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw invalid(parameter, pattern, "a valid regular expression (" + e.getDescription() + ")");
        }
    }

    /**
     * For a pattern compiled elsewhere (a server name's, by {@code ServerNameRule}): the bounds alone.
     *
     * @throws InvalidServiceException (400) naming the parameter when the pattern is too long or repeats too much
     */
    static void checkSize(String parameter, String pattern) {
        if (pattern.length() > MAX_LENGTH) {
            throw invalid(parameter, pattern.substring(0, 40) + "…", "a regular expression of at most " + MAX_LENGTH
                    + " characters");
        }
        if (repetition(pattern) > MAX_REPETITION) {
            throw invalid(parameter, pattern, "a regular expression whose nested {n} repetitions multiply to at most "
                    + MAX_REPETITION);
        }
    }

    /**
     * The largest product of counted repetitions along one nesting path: {@code (a{10}b{20}){30}} gives 600. Escapes
     * and character classes are skipped; a pattern this scan misreads is still compiled and checked by RE2/J.
     */
    static long repetition(String pattern) {
        ArrayDeque<long[]> groups = new ArrayDeque<>(); // per open group: its largest product
        long[] level = {1};
        long atom = 1; // the product of the atom just read, to which a following {n} applies
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i += 2;
                atom = 1;
            } else if (c == '[') {
                i = endOfClass(pattern, i + 1);
                atom = 1;
            } else if (c == '(') {
                groups.push(level);
                level = new long[] {1};
                i++;
                atom = 1;
            } else if (c == ')' && !groups.isEmpty()) {
                atom = level[0];
                level = groups.pop();
                level[0] = Math.max(level[0], atom);
                i++;
            } else if (c == '{' && pattern.indexOf('}', i) > i) {
                int close = pattern.indexOf('}', i);
                long count = largestCount(pattern.substring(i + 1, close));
                level[0] = Math.max(level[0], Math.min(atom * count, Integer.MAX_VALUE));
                i = close + 1;
            } else {
                atom = 1;
                i++;
            }
        }
        while (!groups.isEmpty()) {
            long inner = level[0];
            level = groups.pop();
            level[0] = Math.max(level[0], inner);
        }
        return level[0];
    }

    private static int endOfClass(String pattern, int from) {
        int i = from;
        if (i < pattern.length() && pattern.charAt(i) == ']') {
            i++; // a leading ] is a member
        }
        while (i < pattern.length() && pattern.charAt(i) != ']') {
            i += pattern.charAt(i) == '\\' ? 2 : 1;
        }
        return i + 1;
    }

    /** {@code n}, {@code n,} or {@code n,m}: the largest count; 1 when it is not a repetition. */
    private static long largestCount(String inside) {
        long largest = 1;
        for (String bound : inside.split(",", -1)) {
            if (!bound.isEmpty() && bound.length() < 10 && bound.chars().allMatch(Character::isDigit)) {
                largest = Math.max(largest, Long.parseLong(bound));
            }
        }
        return largest;
    }
}
