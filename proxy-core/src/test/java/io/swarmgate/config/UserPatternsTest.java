package io.swarmgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UserPatternsTest {
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ^/v[0-9]+/                | 1
            a{5}                      | 5
            a{2,7}                    | 7
            a{3,}                     | 3
            (a{10}b{20}){30}          | 600
            ((a{10}){10}){11}         | 1100
            (a{1000}){1000}           | 1000000
            [{]{5}                    | 5
            \\{1000}                  | 1
            "[a{9}]"                  | 1
            (x)(y{4})                 | 4
            """)
    void multipliesNestedCountedRepetitions(String pattern, long product) {
        assertThat(UserPatterns.repetition(pattern)).isEqualTo(product);
    }
}
