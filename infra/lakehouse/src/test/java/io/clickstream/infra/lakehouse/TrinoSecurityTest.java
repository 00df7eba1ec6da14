package io.clickstream.infra.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The password file entries Trino's file authenticator checks, and the owner-only files (no Trino needed). */
class TrinoSecurityTest {
    @Test
    void pbkdf2EntryHasTrinosFormatAndVerifiesAsTrinoDoes() throws Exception {
        String entry = TrinoSecurity.pbkdf2("s3cret");
        String[] parts = entry.split(":");
        assertThat(parts).hasSize(3);
        int iterations = Integer.parseInt(parts[0]);
        assertThat(iterations).as("Trino's minimum is 1000").isGreaterThanOrEqualTo(1000);
        byte[] salt = HexFormat.of().parseHex(parts[1]);
        byte[] hash = HexFormat.of().parseHex(parts[2]);
        assertThat(parts[1] + parts[2]).as("lower-case hex, as Trino decodes it").isEqualTo((parts[1] + parts[2]).toLowerCase());
        // Trino's check (EncryptionUtil.doesPBKDF2PasswordMatch): HMAC-SHA1, key length = stored hash length.
        byte[] right = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1")
            .generateSecret(new PBEKeySpec("s3cret".toCharArray(), salt, iterations, hash.length * 8)).getEncoded();
        byte[] wrong = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1")
            .generateSecret(new PBEKeySpec("s3cret!".toCharArray(), salt, iterations, hash.length * 8)).getEncoded();
        assertThat(right).isEqualTo(hash);
        assertThat(wrong).isNotEqualTo(hash);
        assertThat(TrinoSecurity.pbkdf2("s3cret")).as("salted").isNotEqualTo(entry);
    }

    @Test
    void secretsAreRandomAndWrittenOwnerOnly(@TempDir Path dir) throws Exception {
        assertThat(TrinoSecurity.randomSecret()).hasSize(48).matches("[0-9a-f]+").isNotEqualTo(TrinoSecurity.randomSecret());
        Path file = dir.resolve("x.password");
        TrinoSecurity.writeOwnerOnly(file, "one\n");
        TrinoSecurity.writeOwnerOnly(file, "two\n");
        assertThat(Files.readString(file)).isEqualTo("two\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(TrinoSecurity.ownerOnlyDir(dir.resolve("s")))))
            .isEqualTo("rwx------");
    }

    @Test
    void maintenanceRefusesAPasswordOnTheCommandLine() {
        assertThatThrownBy(() -> MaintenanceOptions.parse("--password", "x", "--dt", "2026-01-05"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--password-file");
        MaintenanceOptions o = MaintenanceOptions.parse("--password-file", "/p", "--dt", "2026-01-05");
        assertThat(o.passwordFile).isEqualTo("/p");
        assertThat(o.user).isEqualTo(TrinoSecurity.ADMIN);
        assertThat(o.trinoUrl).contains("/" + LocalTrino.ADMIN_CATALOG + "/").contains("SSL=true");
    }

    @Test
    void servingCatalogNeverPrintsItsPassword() {
        ServingCatalog c = new ServingCatalog("jdbc:postgresql://h/db", "u", "hunter2", "lakehouse", "file:/w", "ns", "/pw");
        assertThat(c.toString()).doesNotContain("hunter2").contains("/pw");
    }
}
