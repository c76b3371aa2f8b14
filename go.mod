module github.com/mfaconform/mfaconform

go 1.26
