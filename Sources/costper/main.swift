print("costper")
