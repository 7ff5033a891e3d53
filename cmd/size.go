package cmd

import (
	"errors"
	"strconv"
	"strings"
)

// defaultMaxMemory is --max-memory's default: 512 MiB.
const defaultMaxMemory = 512 << 20

// sizeFlag is a flag holding a byte count: a number with an optional
// suffix K, M, G (powers of 1000) or KiB, MiB, GiB (powers of 1024).
type sizeFlag struct{ n int64 }

func (f *sizeFlag) String() string { return strconv.FormatInt(f.n, 10) }

func (f *sizeFlag) Set(v string) error {
	n, err := parseSize(v)
	if err != nil {
		return err
	}
	f.n = n
	return nil
}

// parseSize reads a byte count such as "512MiB", "64M" or "1048576".
func parseSize(v string) (int64, error) {
	s := strings.TrimSpace(v)
	mul := int64(1)
	for _, u := range []struct {
		suffix string
		mul    int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {"B", 1}} {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mul = rest, u.mul
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mul {
		return 0, errors.New("cmd: size " + strconv.Quote(v) + " is not a positive byte count such as 512MiB")
	}
	return n * mul, nil
}
