"""Answer log and answer feedback (有帮助 / 没帮助), and the editors' review of them."""
