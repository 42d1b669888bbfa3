package io.dormant.library.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ObjectIdTest {
    @Test
    void isTheSha256OfTheBytes() {
        // sha256("abc"), from FIPS 180-2.
        assertThat(ObjectId.hash("abc".getBytes(StandardCharsets.US_ASCII)).hex())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void parsesItsOwnHexAndUpperCase() {
        ObjectId id = ObjectId.hash(new byte[] {1, 2, 3});
        assertThat(ObjectId.parse(id.hex())).isEqualTo(id).hasSameHashCodeAs(id);
        assertThat(ObjectId.parse(id.hex().toUpperCase())).isEqualTo(id);
    }

    @Test
    void refusesWhatIsNotAnId() {
        assertThatThrownBy(() -> ObjectId.parse("abc")).hasMessage("an object id is 64 hex digits, got 'abc'");
        assertThatThrownBy(() -> ObjectId.parse("z".repeat(64))).hasMessageStartingWith("an object id is 64 hex digits");
        assertThatThrownBy(() -> ObjectId.parse(null)).hasMessage("an object id is 64 hex digits, got 'null'");
        assertThatThrownBy(() -> ObjectId.of(new byte[31])).hasMessage("an object id is 32 bytes, got 31");
    }

    @Test
    void ordersByUnsignedBytes() {
        ObjectId low = ObjectId.parse("7f" + "0".repeat(62));
        ObjectId high = ObjectId.parse("80" + "0".repeat(62));
        assertThat(low).isLessThan(high);
    }
}
