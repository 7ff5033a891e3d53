package tlsname

import (
	"fmt"
	"strconv"
)

// GroupName names a TLS named group (key-exchange curve; RFC 8446, Section
// 4.2.7; RFC 8422, Section 5.1.1) as Zeek's ssl.log curve column does
// (SSL::ec_curves in base/protocols/ssl/consts.zeek, IANA's names):
// "x25519", "secp256r1", "grease_0x0A0A", else "unknown-N".
func GroupName(g uint16) string {
	if IsGREASE(g) {
		return fmt.Sprintf("grease_0x%04X", g)
	}
	switch g {
	case 1:
		return "sect163k1"
	case 2:
		return "sect163r1"
	case 3:
		return "sect163r2"
	case 4:
		return "sect193r1"
	case 5:
		return "sect193r2"
	case 6:
		return "sect233k1"
	case 7:
		return "sect233r1"
	case 8:
		return "sect239k1"
	case 9:
		return "sect283k1"
	case 10:
		return "sect283r1"
	case 11:
		return "sect409k1"
	case 12:
		return "sect409r1"
	case 13:
		return "sect571k1"
	case 14:
		return "sect571r1"
	case 15:
		return "secp160k1"
	case 16:
		return "secp160r1"
	case 17:
		return "secp160r2"
	case 18:
		return "secp192k1"
	case 19:
		return "secp192r1"
	case 20:
		return "secp224k1"
	case 21:
		return "secp224r1"
	case 22:
		return "secp256k1"
	case 23:
		return "secp256r1"
	case 24:
		return "secp384r1"
	case 25:
		return "secp521r1"
	case 26:
		return "brainpoolP256r1"
	case 27:
		return "brainpoolP384r1"
	case 28:
		return "brainpoolP512r1"
	case 29:
		return "x25519"
	case 30:
		return "x448"
	case 31:
		return "brainpoolP256r1tls13"
	case 32:
		return "brainpoolP384r1tls13"
	case 33:
		return "brainpoolP512r1tls13"
	case 34:
		return "GC256A"
	case 35:
		return "GC256B"
	case 36:
		return "GC256C"
	case 37:
		return "GC256D"
	case 38:
		return "GC512A"
	case 39:
		return "GC512B"
	case 40:
		return "GC512C"
	case 41:
		return "curveSM2"
	case 256:
		return "ffdhe2048"
	case 257:
		return "ffdhe3072"
	case 258:
		return "ffdhe4096"
	case 259:
		return "ffdhe6144"
	case 260:
		return "ffdhe8192"
	case 512:
		return "MLKEM512"
	case 513:
		return "MLKEM768"
	case 514:
		return "MLKEM1024"
	case 4587:
		return "SecP256r1MLKEM768"
	case 4588:
		return "X25519MLKEM768"
	case 4589:
		return "SecP384r1MLKEM1024"
	case 4590:
		return "curveSM2MLKEM768"
	case 16696:
		return "CECPQ2"
	case 25497:
		return "X25519Kyber768Draft00"
	case 25498:
		return "SecP256r1Kyber768Draft00"
	case 65281:
		return "arbitrary_explicit_prime_curves"
	case 65282:
		return "arbitrary_explicit_char2_curves"
	}
	return "unknown-" + strconv.Itoa(int(g))
}
