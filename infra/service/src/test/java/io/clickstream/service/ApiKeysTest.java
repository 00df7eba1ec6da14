package io.clickstream.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys are stored as SHA-256 digests only, the file is created once with mode 0600, and only known keys pass. */
class ApiKeysTest {
    @TempDir
    Path tmp;

    @Test
    void hashIsSha256Hex() {
        // sha256("abc"), the FIPS 180-2 test vector.
        assertThat(ApiKeys.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void createdOnceWithOwnerOnlyPermissionsAndNoKeyInClear() throws Exception {
        Path file = tmp.resolve("sub/keys.sha256");
        ApiKeys.Loaded first = ApiKeys.loadOrCreate(file);
        String key = first.createdKey().orElseThrow();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String content = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(content).doesNotContain(key).contains(ApiKeys.hash(key));
        assertThat(first.keys().authenticate(key)).isEqualTo(Optional.of(ApiKeys.hash(key).substring(0, 12)));

        ApiKeys.Loaded second = ApiKeys.loadOrCreate(file);
        assertThat(second.createdKey()).isEmpty();
        assertThat(second.keys().authenticate(key)).isPresent();
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(content);
    }

    @Test
    void onlyKnownKeysPass() throws Exception {
        String k1 = ApiKeys.newKey();
        String k2 = ApiKeys.newKey();
        assertThat(k1).startsWith("cs_").hasSize(46).isNotEqualTo(k2);
        Path file = tmp.resolve("keys");
        Files.writeString(file, "# comment\n" + ApiKeys.hash(k1) + "  client-a\n\n" + ApiKeys.hash(k2).toUpperCase() + "\n");
        ApiKeys keys = ApiKeys.load(file);
        assertThat(keys.size()).isEqualTo(2);
        assertThat(keys.authenticate(k1)).isPresent();
        assertThat(keys.authenticate(k2)).isPresent();
        assertThat(keys.authenticate(k1 + "x")).isEmpty();
        assertThat(keys.authenticate(ApiKeys.hash(k1))).isEmpty();
        assertThat(keys.authenticate("")).isEmpty();
        assertThat(keys.authenticate(null)).isEmpty();
        assertThat(new ApiKeys(Set.of(ApiKeys.hash("abc"))).authenticate("abc")).isPresent();
    }

    @Test
    void headersCarryTheKey() {
        assertThat(EventsEndpoint.presentedKey("Bearer abc", null)).isEqualTo("abc");
        assertThat(EventsEndpoint.presentedKey("bearer  abc ", null)).isEqualTo("abc");
        assertThat(EventsEndpoint.presentedKey(null, "xyz")).isEqualTo("xyz");
        assertThat(EventsEndpoint.presentedKey("Basic Zm9vOmJhcg==", null)).isNull();
        assertThat(EventsEndpoint.presentedKey(null, null)).isNull();
    }
}
