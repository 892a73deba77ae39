"""The official sources (GV100AD, OZG catalogue, LeiKa): their attribution and the loaded edition."""
