public enum Lab {}
