"""The top's bench with the fast stream path (Verilator only): tb/topfast/README.md."""
