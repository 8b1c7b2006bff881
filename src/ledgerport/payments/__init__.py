"""Payment files the client approves in their bank: the firm uploads a pain.001 file, the
client sees what it pays and marks it approved. Reading the file is `ledgerport.payfiles`."""
